// Reads a text/event-stream body (Server-Sent Events, as the HTML standard defines them) from its
// decoded text chunks: what EventSource does, for streams EventSource cannot open (a bearer token).

export interface ServerSentEvent {
  /** The `id:` field, when the event carried one. */
  id: string | undefined;
  /** The `event:` field; `message` when there was none. */
  event: string;
  /** The `data:` lines, joined by newlines. */
  data: string;
}

/**
 * Events in `chunks` as they complete; comments (heartbeats) and `retry:` are read and dropped.
 * A chunk may end mid-line or mid-event: the rest waits for the next one.
 */
export async function* readEventStream(chunks: AsyncIterable<string>): AsyncGenerator<ServerSentEvent> {
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  let hasData = false;
  for await (const chunk of chunks) {
    buffer += chunk;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (end < 0 || (end === buffer.length - 1 && buffer[end] === '\r')) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (hasData) yield { id, event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'data') {
        data.push(value);
        hasData = true;
      } else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
  }
}
