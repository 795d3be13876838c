export * from "./campaigns";
export * from "./conversion-types";
export * from "./conversions";
export * from "./offers";
export * from "./postback-log";
export * from "./settings";
export * from "./traffic-sources";
export * from "./visits";
