// Types for ports.mjs: TCP port helpers shared by the scripts and the tests.

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(): Promise<number>;
export function isPortFree(port: number, host?: string): Promise<boolean>;
/** The first free port from `start` on, trying `attempts` ports. */
export function firstFreePortFrom(start: number, attempts?: number): Promise<number>;
