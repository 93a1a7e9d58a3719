/**
 * Waits for a side effect the test cannot await directly (a request the emulator logs only when
 * it ends, a line a child process prints, a server that starts answering): polls `condition`
 * and fails with `what` when it does not hold within `timeoutMs`. Never a fixed sleep.
 */
export async function eventually(
    condition: () => boolean | Promise<boolean>,
    what: string,
    timeoutMs = 5000,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await condition()) return;
        if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}
