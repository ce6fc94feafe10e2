/**
 * The package's only error: the input is not well-formed X12. It carries enough (segment id and position,
 * element position) for the caller to answer with a TA1 or 999 instead of guessing what went wrong.
 */
export class X12SyntaxError extends Error {
  constructor(
    message: string,
    readonly where: { segmentId?: string; segmentPosition?: number; elementPosition?: number } = {},
    /** Set when the fault is in the ISA/IEA envelope itself (answered by TA1, not 999). */
    readonly envelope = false,
    /** For envelope faults: the TA1 interchange note code (TA105). */
    readonly ta1NoteCode?: string,
  ) {
    super(message);
    this.name = 'X12SyntaxError';
  }
}
