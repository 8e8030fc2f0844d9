// The bin the units in hand go to, big enough to read at arm's length, and why it was suggested;
// for the current-item card (`floor-card`) of the workflows that suggest a bin (putaway, returns).

export interface BinSuggestionProps {
  /** What to do there, e.g. "Go to", "Restock to". */
  caption: string;
  /** The suggested bin's code; null when any bin will do. */
  code: string | null;
  reason: string;
}

export function BinSuggestion({ caption, code, reason }: BinSuggestionProps) {
  return (
    <>
      <p className="floor-card-bin">
        <span className="floor-card-caption">{caption}</span> <span className="floor-card-bin-code">{code ?? 'any bin'}</span>
      </p>
      <p className="floor-card-reason">{reason}</p>
    </>
  );
}
