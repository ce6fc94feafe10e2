import { X12SyntaxError } from './errors';

export interface Delimiters {
  element: string;
  repetition: string;
  component: string;
  segment: string;
}

/** One segment: `elements[0]` is the first data element (e.g. ISA01), so `elements[n - 1]` is element n. */
export interface Segment {
  id: string;
  elements: string[];
}

export const DEFAULT_DELIMITERS: Delimiters = { element: '*', repetition: '^', component: ':', segment: '~' };

/** ISA is fixed width: 105 characters up to and including ISA16, then the segment terminator. */
const ISA_LENGTH = 106;

/**
 * Reads the delimiters from the ISA segment, as the standard defines them: the element separator is the
 * character right after "ISA", the repetition separator is ISA11, the component separator ISA16 and the segment
 * terminator the character after ISA16. Nothing else in the interchange may be assumed.
 */
export function readDelimiters(raw: string): Delimiters {
  const text = raw.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('ISA'))
    throw new X12SyntaxError(
      'The interchange does not start with an ISA segment',
      { segmentId: 'ISA', segmentPosition: 1 },
      true,
    );
  if (text.length < ISA_LENGTH)
    throw new X12SyntaxError(
      'The ISA segment is shorter than its fixed 106 characters',
      { segmentId: 'ISA', segmentPosition: 1 },
      true,
    );
  const element = text[3]!;
  const fields = text.slice(0, ISA_LENGTH - 1).split(element);
  if (fields.length !== 17)
    throw new X12SyntaxError(
      `The ISA segment has ${fields.length - 1} elements instead of 16 (fixed-width fields are misaligned)`,
      { segmentId: 'ISA', segmentPosition: 1 },
      true,
    );
  const repetition = fields[11]!;
  const component = fields[16]!;
  const segment = text[ISA_LENGTH - 1]!;
  if (component.length !== 1)
    throw new X12SyntaxError(
      'ISA16 (component separator) must be exactly one character',
      { segmentId: 'ISA', segmentPosition: 1, elementPosition: 16 },
      true,
    );
  const delimiters = { element, repetition, component, segment };
  const distinct = new Set(Object.values(delimiters));
  if (distinct.size !== 4 || /[A-Za-z0-9 ]/.test([...distinct].join(''))) {
    throw new X12SyntaxError(
      'The ISA delimiters must be four distinct non-alphanumeric characters',
      { segmentId: 'ISA', segmentPosition: 1 },
      true,
    );
  }
  return delimiters;
}

/** Splits an interchange into segments with the delimiters its own ISA declares; line breaks after terminators are ignored. */
export function tokenize(raw: string): { delimiters: Delimiters; segments: Segment[] } {
  const delimiters = readDelimiters(raw);
  const text = raw.replace(/^\uFEFF/, '').trimStart();
  const segments: Segment[] = [];
  for (const chunk of text.split(delimiters.segment)) {
    const body = chunk.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    if (body.trim() === '') continue;
    const [id = '', ...elements] = body.split(delimiters.element);
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) {
      throw new X12SyntaxError(`Segment ${segments.length + 1} has an invalid segment id "${id.slice(0, 10)}"`, {
        segmentPosition: segments.length + 1,
      });
    }
    segments.push({ id, elements });
  }
  return { delimiters, segments };
}

/** Element n (1-based, as the implementation guides number them), '' when absent. */
export function el(segment: Segment, n: number): string {
  return segment.elements[n - 1] ?? '';
}

/** The components of a composite element. */
export function components(value: string, delimiters: Delimiters): string[] {
  return value === '' ? [] : value.split(delimiters.component);
}

/** The repetitions of a repeating element (e.g. EB03 service types). */
export function repetitions(value: string, delimiters: Delimiters): string[] {
  return value === '' ? [] : value.split(delimiters.repetition);
}
