import { currentRequestId } from "./request-id";

// Inside a request each line starts with its id, the one its error body shows (lib/request-id.ts).
const tagged = (args: unknown[]) => {
  const id = currentRequestId();
  return id === undefined ? args : [`requestId=${id}`, ...args];
};

export const logError = (...args: unknown[]): void => console.error(...tagged(args));
export const logWarn = (...args: unknown[]): void => console.warn(...tagged(args));
