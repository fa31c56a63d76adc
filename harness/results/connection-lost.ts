/** A request that lost its connection (the prober's transport error): what a server that died mid-request leaves. */
export const CONNECTION_LOST = /^(reset|refused|aborted)/;
