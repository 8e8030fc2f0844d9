// The message area under a workflow screen's title: what the last scan or press did, read out by
// screen readers as it changes (a polite live region; errors also as alerts).

/** One message in the scan colours: `warning` (amber) for what went through but needs a look. */
export interface FloorMessage {
  tone: 'success' | 'error' | 'warning' | 'info';
  text: string;
}

/** The area is always rendered, so the live region exists before its first message; empty entries show nothing. */
export function FloorMessages({ messages }: { messages: readonly (FloorMessage | null | undefined)[] }) {
  return (
    <div className="floor-messages" aria-live="polite">
      {messages.map((message, index) =>
        !message ? null : message.tone === 'error' ? (
          <p key={index} role="alert" className="floor-message floor-message-error">
            {message.text}
          </p>
        ) : (
          <p key={index} className={`floor-message floor-message-${message.tone}`}>
            {message.text}
          </p>
        ),
      )}
    </div>
  );
}
