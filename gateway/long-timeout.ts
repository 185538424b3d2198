/**
 * A timer for any delay. Node's setTimeout takes at most 2^31 − 1 ms (24.8 days) and fires at
 * once for anything longer, so a credential valid for a month closed its WebSocket the moment it
 * opened. This one waits in steps no longer than that. Returns the function that cancels it.
 */
const LONGEST = 2 ** 31 - 1;

export function setLongTimeout(callback: () => void, delayMs: number): () => void {
  let timer: NodeJS.Timeout;
  const due = Date.now() + Math.max(0, delayMs);
  const arm = () => {
    const left = due - Date.now();
    // Unref'd: an expiry never keeps a stopping process alive by itself.
    timer = (left > LONGEST ? setTimeout(arm, LONGEST) : setTimeout(callback, Math.max(0, left))).unref();
  };
  arm();
  return () => clearTimeout(timer);
}
