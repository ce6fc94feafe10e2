/** One outgoing message to a person: an email or a text. Adapters never log `to`, `subject` or `text` (PHI, codes). */
export interface NotifyMessage {
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  text: string;
}

export interface Notifier {
  send(m: NotifyMessage): Promise<void>;
}

/** A provider answered with a refusal or could not be reached; carries no message content. */
export class NotifyError extends Error {
  constructor(
    readonly channel: 'email' | 'sms',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'NotifyError';
  }
}

/** Routes each message to the adapter of its channel. */
export function channelNotifier(adapters: { email: Notifier; sms: Notifier }): Notifier {
  return { send: (m) => adapters[m.channel].send(m) };
}
