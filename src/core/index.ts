// Placeholder: replaced by the core client.
export {};
