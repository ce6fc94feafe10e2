// Artillery processor for the mixed workload: each virtual user takes a patient, a search term and the tokens the
// orchestrator (mixed-workload.ts) wrote to BENCH_CONTEXT. Plain CommonJS: Artillery loads it with require().
const { readFileSync } = require('node:fs');
const { randomUUID } = require('node:crypto');

const ctx = JSON.parse(readFileSync(process.env.BENCH_CONTEXT, 'utf8'));
let next = 0;

function pickPatient(context, _events, done) {
  const i = next++ % ctx.patients.length;
  const p = ctx.patients[i];
  context.vars.pid = p.id;
  context.vars.term = encodeURIComponent(p.term);
  context.vars.token = ctx.physicianToken;
  context.vars.pharmacistToken = ctx.pharmacistToken;
  context.vars.practitioner = ctx.practitionerId;
  return done();
}

/** The order-select hook request the chart's prescribe dialog sends for a draft (no prefetch: fetched from HAPI). */
function draftOrder(context, _events, done) {
  const draftId = `draft-${randomUUID()}`;
  context.vars.hookBody = {
    hook: 'order-select',
    prefetch: ctx.prefetch[context.vars.pid],
    hookInstance: randomUUID(),
    context: {
      userId: `Practitioner/${ctx.practitionerId}`,
      patientId: context.vars.pid,
      selections: [`MedicationRequest/${draftId}`],
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            resource: {
              resourceType: 'MedicationRequest',
              id: draftId,
              status: 'draft',
              intent: 'order',
              subject: { reference: `Patient/${context.vars.pid}` },
              medicationCodeableConcept: {
                coding: [
                  {
                    system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
                    code: ctx.drug.code,
                    display: ctx.drug.name,
                  },
                ],
              },
            },
          },
        ],
      },
    },
  };
  return done();
}

module.exports = { pickPatient, draftOrder };
