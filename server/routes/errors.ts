// An error a route answers with a status and a body the app can show as it is.
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: { error: string; message: string } & Record<string, unknown>,
  ) {
    super(body.message);
  }
}

export const ErrorBody = {
  error: 'A machine code, e.g. UNAUTHORIZED, FORBIDDEN, SEQUENCE_GAP',
  message: 'What went wrong and what to do next, for people',
};
