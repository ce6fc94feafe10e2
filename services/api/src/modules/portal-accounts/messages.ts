import type { OtpChannel } from '@wintehr/contracts';

/** The texts sent to patients. Links carry only the single-use token; no health information in any message. */
export function invitationMessage(channel: OtpChannel, link: string, hours: number) {
  return {
    subject: 'Your invitation to the WintEHR patient portal',
    text:
      channel === 'sms'
        ? `WintEHR: your practice invited you to the patient portal. Set up your account within ${hours} h: ${link}`
        : `Hello,\n\nYour practice has invited you to the WintEHR patient portal, where you can see your health record and message your care team.\n\nSet up your account here (the link works once and expires in ${hours} hours):\n${link}\n\nIf you did not expect this message, you can ignore it.`,
  };
}

export function resetMessage(channel: OtpChannel, link: string, minutes: number) {
  return {
    subject: 'Reset your WintEHR portal password',
    text:
      channel === 'sms'
        ? `WintEHR: reset your portal password within ${minutes} min: ${link}`
        : `Hello,\n\nSomeone asked to reset the password of your WintEHR patient portal account.\n\nChoose a new password here (the link works once and expires in ${minutes} minutes):\n${link}\n\nIf it was not you, ignore this message: your password stays as it is.`,
  };
}

/** A patient's display name from the FHIR Patient (official name first). */
export function displayNameOf(patient: Pick<fhir4.Patient, 'name'>): string {
  const names = patient.name ?? [];
  const n = names.find((x) => x.use === 'official') ?? names[0];
  const full = n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
  return full.trim().slice(0, 200) || 'Patient';
}
