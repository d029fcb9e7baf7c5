/** The Vantagepoint API emulator (used by tests, the benchmark and the demo). */
export * from "./server";
export * from "./seed";
export { runEmulatorCli } from "./cli";
