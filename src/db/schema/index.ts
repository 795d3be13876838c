export * from "./offers";
export * from "./campaigns";
export * from "./conversion-types";
export * from "./visits";
export * from "./conversions";
export * from "./settings";
export * from "./postback-log";
