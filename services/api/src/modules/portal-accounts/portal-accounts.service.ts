import type { OtpChannel, PortalAccountStatus, PortalActivation, PortalInvitation } from '@wintehr/contracts';
import type { AuditInput } from '../../core/audit/audit-types';
import { usersRepository } from '../../core/auth/users.repository';
import { withTransaction } from '../../core/db/transaction';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, conflict } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { AuthService } from '../auth/auth.service';
import { contactsOf, destinationsOf, mask } from '../auth/contacts';
import { linkState, newLinkToken } from '../auth/one-time-secrets';
import { passwordProblems } from '../auth/password-policy';
import { sessionsRepository } from '../auth/sessions';
import { displayNameOf, invitationMessage, resetMessage } from './messages';
import { portalAccountsRepository as repo } from './portal-accounts.repository';

type Who = Pick<AuditInput, 'userId' | 'username' | 'role' | 'clientIp' | 'userAgent' | 'requestId'>;

/** A link that no longer works: 410 with the reason, so the page can say "ask for a new one". */
function goneLink(kind: 'invitation' | 'reset', state: 'used' | 'revoked' | 'expired' | 'unknown'): AppError {
  const what = kind === 'invitation' ? 'invitation' : 'password reset link';
  if (state === 'unknown') return new AppError(400, `${kind.toUpperCase()}_INVALID`, `This ${what} is not valid`);
  const why = { used: 'was already used', revoked: 'was replaced by a newer one', expired: 'has expired' }[state];
  return new AppError(410, `${kind.toUpperCase()}_${state.toUpperCase()}`, `This ${what} ${why}`);
}

function checkPassword(password: string, username: string) {
  const problems = passwordProblems(password, username);
  if (problems.length)
    throw badRequest(
      'Password does not meet the policy',
      problems.map((m) => ({ field: 'body.password', message: `password ${m}` })),
    );
}

/**
 * Portal accounts: the practice invites a patient (the address comes from the chart, never from the request), the
 * patient activates the account from the link, and resets a forgotten password by a link to the same contact.
 */
export class PortalAccountsService {
  constructor(private readonly deps: AppDeps) {}

  private link(path: string, token: string) {
    return `${this.deps.config.publicBaseUrl}${path}?token=${token}`;
  }

  /** A refused link or password is audited with its error code (never the token or the password). */
  private async audited<T>(action: string, who: Who, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      this.deps.audit.record({
        ...who,
        action,
        outcome: 'failure',
        details: { reason: err instanceof AppError ? err.code : 'error' },
      });
      throw err;
    }
  }

  async status(patientId: string): Promise<PortalAccountStatus> {
    const patient = await readOr404(this.deps, 'Patient', patientId);
    const [account, open] = await Promise.all([
      repo.activePatientAccount(this.deps.pg, patientId),
      repo.openInvitation(this.deps.pg, patientId),
    ]);
    const channels = destinationsOf(contactsOf(patient));
    const pendingTo = open && channels.find((c) => c.channel === open.channel);
    return {
      patientId,
      hasAccount: !!account,
      pendingInvitation:
        open && !account
          ? { channel: open.channel, sentTo: pendingTo?.sentTo ?? '', expiresAt: open.expires_at.toISOString() }
          : null,
      channels: channels.map(({ channel, sentTo }) => ({ channel, sentTo })),
    };
  }

  async invite(patientId: string, channel: OtpChannel, invitedBy: string): Promise<PortalInvitation> {
    const patient = await readOr404(this.deps, 'Patient', patientId);
    if (await repo.activePatientAccount(this.deps.pg, patientId))
      throw conflict('This patient already has a portal account', { patientId }, 'PORTAL_ACCOUNT_EXISTS');
    const to = contactsOf(patient)[channel];
    if (!to)
      throw new AppError(
        422,
        'NO_CONTACT_FOR_CHANNEL',
        channel === 'email'
          ? 'The chart has no email address for this patient; add one to the demographics first'
          : 'The chart has no mobile number for this patient; add one to the demographics first',
        { channel },
      );
    const token = newLinkToken();
    const ttl = this.deps.config.portalAccounts.inviteTtlSeconds;
    const { invitation, revoked } = await withTransaction(this.deps.pg, (db) =>
      repo.replaceInvitation(db, { patientId, token, channel, invitedBy, ttlSeconds: ttl }),
    );
    const msg = invitationMessage(channel, this.link('/portal/activate', token), Math.round(ttl / 3600));
    try {
      await this.deps.notify.send({ channel, to, ...msg });
    } catch {
      await repo.revokeInvitation(this.deps.pg, invitation.id);
      throw new AppError(503, 'NOTIFY_UNAVAILABLE', 'The invitation could not be sent right now; try again shortly');
    }
    return {
      id: invitation.id,
      patientId,
      channel,
      sentTo: mask(channel, to),
      expiresAt: invitation.expires_at.toISOString(),
      revokedEarlier: revoked,
    };
  }

  async activate(token: string, username: string, password: string, who: Who): Promise<PortalActivation> {
    checkPassword(password, username);
    const passwordHash = await AuthService.hashPassword(password);
    const result = await this.audited(
      'portal.activate',
      who,
      withTransaction(this.deps.pg, async (db) => {
        const inv = await repo.invitationByToken(db, token);
        const state = inv ? linkState(inv) : 'unknown';
        if (!inv || state !== 'usable') throw goneLink('invitation', state === 'usable' ? 'unknown' : state);
        if (await repo.activePatientAccount(db, inv.patient_id))
          throw conflict('This patient already has a portal account', undefined, 'PORTAL_ACCOUNT_EXISTS');
        if (await usersRepository.byUsername(db, username))
          throw conflict('This username is taken; choose another', undefined, 'USERNAME_TAKEN');
        const patient = await this.deps.fhir.read('Patient', inv.patient_id);
        const user = await usersRepository.insert(db, {
          username,
          displayName: displayNameOf(patient),
          role: 'patient',
          passwordHash,
          fhirPatientId: inv.patient_id,
        });
        await repo.useInvitation(db, inv.id, user.id);
        return { user, patientId: inv.patient_id };
      }),
    );
    this.deps.audit.record({
      ...who,
      action: 'portal.activate',
      outcome: 'success',
      userId: result.user.id,
      username: result.user.username,
      role: 'patient',
      patientId: result.patientId,
      resourceType: 'Patient',
      resourceId: result.patientId,
    });
    return { username: result.user.username, displayName: result.user.display_name };
  }

  /**
   * Finds the portal account and sends a reset link to its contact on file. Runs after the 202 has been sent, so
   * neither the answer nor its timing says whether an account exists.
   */
  async requestReset(q: { username?: string; email?: string }, who: Who): Promise<void> {
    const users = q.username
      ? [await usersRepository.byUsername(this.deps.pg, q.username)]
      : await this.patientUsersByEmail(q.email!);
    const user = users.find((u) => u && u.role === 'patient' && !u.disabled && u.fhir_patient_id);
    if (!user) {
      this.deps.audit.record({
        ...who,
        action: 'portal.password-reset.request',
        outcome: 'failure',
        details: { reason: 'no_account' },
      });
      return;
    }
    const patient = await this.deps.fhir.read('Patient', user.fhir_patient_id!);
    const contacts = contactsOf(patient);
    const channel: OtpChannel | undefined = q.email
      ? 'email'
      : contacts.email
        ? 'email'
        : contacts.sms
          ? 'sms'
          : undefined;
    const to = channel && contacts[channel];
    const subject = { userId: user.id, username: user.username, role: user.role };
    if (!channel || !to) {
      this.deps.audit.record({
        ...who,
        ...subject,
        action: 'portal.password-reset.request',
        outcome: 'failure',
        details: { reason: 'no_contact' },
      });
      return;
    }
    const token = newLinkToken();
    const ttl = this.deps.config.portalAccounts.resetTtlSeconds;
    await repo.replaceReset(this.deps.pg, user.id, token, ttl);
    await this.deps.notify.send({
      channel,
      to,
      ...resetMessage(channel, this.link('/portal/reset-password', token), Math.round(ttl / 60)),
    });
    this.deps.audit.record({
      ...who,
      ...subject,
      action: 'portal.password-reset.request',
      outcome: 'success',
      details: { channel },
    });
  }

  private async patientUsersByEmail(email: string) {
    const patients = await this.deps.fhir.searchResources('Patient', { email, _elements: 'id', _count: '10' });
    const found = [];
    for (const p of patients) {
      const { rows } = await this.deps.pg.query<{ username: string }>(
        "SELECT username FROM users WHERE role = 'patient' AND fhir_patient_id = $1 AND NOT disabled",
        [p.id],
      );
      for (const r of rows) found.push(await usersRepository.byUsername(this.deps.pg, r.username));
    }
    return found;
  }

  async completeReset(token: string, password: string, who: Who): Promise<{ revokedSessions: number }> {
    const { user } = await this.audited(
      'portal.password-reset',
      who,
      withTransaction(this.deps.pg, async (db) => {
        const reset = await repo.resetByToken(db, token);
        const state = reset ? linkState(reset) : 'unknown';
        if (!reset || state !== 'usable') throw goneLink('reset', state === 'usable' ? 'unknown' : state);
        const user = await usersRepository.byId(db, reset.user_id);
        if (!user || user.disabled) throw goneLink('reset', 'unknown');
        checkPassword(password, user.username);
        await repo.completeReset(db, reset.id, user.id, await AuthService.hashPassword(password));
        return { user };
      }),
    );
    const revokedSessions = await sessionsRepository.revoke(
      this.deps.pg,
      user.id,
      this.deps.config.auth.accessTokenTtl,
    );
    this.deps.audit.record({
      ...who,
      action: 'portal.password-reset',
      outcome: 'success',
      userId: user.id,
      username: user.username,
      role: user.role,
      details: { revokedSessions },
    });
    return { revokedSessions };
  }
}
