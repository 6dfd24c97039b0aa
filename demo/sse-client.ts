/**
 * A small reader of the health server's `/health/events` stream: calls `onEvent` with each
 * event's parsed JSON. Reconnects with `Last-Event-ID` until stopped, like a browser would.
 */
export function followEvents(url: string, onEvent: (event: Record<string, unknown>) => void): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;

  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const response = await fetch(url, { headers, signal: controller.signal });
        if (response.body === null) throw new Error('no body');
        const decoder = new TextDecoder();
        let buffer = '';
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // The server is starting or restarting: try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };

  const dispatch = (block: string): void => {
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) lastId = line.slice(3).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (data === '') return;
    try {
      onEvent(JSON.parse(data) as Record<string, unknown>);
    } catch {
      // Not JSON: ignore.
    }
  };

  void connect();
  return () => controller.abort();
}
