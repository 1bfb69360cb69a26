// An SSE reader for the API and fault tests: keeps every frame of a meeting's event stream,
// says whether the connection ended, and waits for a condition on the frames.

/** Open url with a bearer token (and optionally Last-Event-ID); returns the reader state. */
export function listen(url, token, lastEventId) {
  const controller = new AbortController();
  const state = { frames: [], ended: false, status: null, waiters: [] };
  const notify = () => { for (const w of state.waiters.splice(0)) w(); };
  const headers = { Authorization: `Bearer ${token}` };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  let opened;
  state.opened = new Promise((resolve) => { opened = resolve; });
  state.done = (async () => {
    try {
      const response = await fetch(url, { headers, signal: controller.signal });
      state.status = response.status;
      opened();
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const frame = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) frame[line.slice(0, colon)] = line.slice(colon + 1).trim();
          }
          if (frame.event) state.frames.push({ id: Number(frame.id), event: frame.event, data: JSON.parse(frame.data) });
        }
        notify();
      }
    } catch (error) {
      if (error.name !== 'AbortError') state.error = error;
    }
    opened();
    state.ended = true;
    notify();
  })();
  state.stop = () => controller.abort();
  /** Wait until predicate(frames) holds or the stream ends; at most capMs / 200 rounds
   * of "new frames or 200 ms", only against hanging (not a timing assertion). */
  state.until = async (predicate, capMs = 20000) => {
    for (let round = 0; round < capMs / 200 && !predicate(state.frames) && !state.ended; round++) {
      await new Promise((resolve) => { state.waiters.push(resolve); setTimeout(resolve, 200); });
    }
    return state.frames;
  };
  return state;
}
