// What a workflow tells the person scanning after each event: one line, in a tone the screen
// shows (and the scanner beeps) to match.
export interface WorkflowMessage {
  tone: 'success' | 'error' | 'info';
  text: string;
}
