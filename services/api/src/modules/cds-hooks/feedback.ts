/** CDS Hooks 2.0 feedback requests: `{ feedback: [{ card, outcome, overrideReason?, acceptedSuggestions?, outcomeTimestamp }] }`. */
import { z } from 'zod';

const coding = z.object({
  system: z.string().max(500).optional(),
  code: z.string().min(1).max(200),
  display: z.string().max(500).optional(),
});

export const FeedbackItem = z
  .object({
    card: z.uuid(),
    outcome: z.enum(['accepted', 'overridden']),
    overrideReason: z.object({ reason: coding.optional(), userComment: z.string().max(2000).optional() }).optional(),
    acceptedSuggestions: z
      .array(z.object({ id: z.string().min(1).max(100) }))
      .max(50)
      .optional(),
    outcomeTimestamp: z.iso.datetime({ offset: true }),
  })
  .superRefine((f, ctx) => {
    if (f.outcome === 'accepted' && f.overrideReason)
      ctx.addIssue({
        code: 'custom',
        path: ['overrideReason'],
        message: 'only an overridden card has an override reason',
      });
    if (f.outcome === 'overridden' && f.acceptedSuggestions?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['acceptedSuggestions'],
        message: 'an overridden card has no accepted suggestions',
      });
  });

export const FeedbackRequest = z.object({ feedback: z.array(FeedbackItem).min(1).max(100) });
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;
