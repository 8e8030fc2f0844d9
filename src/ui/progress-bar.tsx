// A thick progress bar with its numbers in words, readable in bad light and by screen readers.
import './progress-bar.css';

export interface ProgressBarProps {
  value: number;
  max: number;
  /** What the bar measures, e.g. "PL-1042 progress". */
  label: string;
  /** The progress in words, e.g. "3 of 9 lines · 14/30 units". */
  text: string;
}

export function ProgressBar({ value, max, label, text }: ProgressBarProps) {
  const percent = max > 0 ? Math.round((Math.min(value, max) / max) * 100) : 100;
  return (
    <div
      className="progress-bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      aria-valuetext={text}
    >
      <div className="progress-bar-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
