import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * SCRIPT XML for the simulator: a generic object tree (attributes as '@_Name', text as '#text'). The simulator
 * plays the network and the pharmacies, so it keeps the other side's message content as the tree it received
 * and reuses it (a renewal request repeats the prescription it refers to). Deliberately independent of the API's
 * typed SCRIPT code: two implementations talking to each other catch more than one talking to itself.
 */
export type Tree = { [k: string]: unknown };
export const NS = 'http://www.ncpdp.org/schema/SCRIPT';
const VERSION = {
  '@_DatatypesVersion': '20170715',
  '@_TransportVersion': '20170715',
  '@_TransactionDomain': 'SCRIPT',
  '@_TransactionVersion': '20170715',
  '@_StructuresVersion': '20170715',
  '@_ECLVersion': '20170715',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
});
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  suppressEmptyNode: false,
});

export class NotScriptError extends Error {}

export function parseXml(xml: string): Tree {
  if (!xml.trim()) throw new NotScriptError('empty body');
  if (/<!DOCTYPE/i.test(xml)) throw new NotScriptError('DOCTYPE not allowed');
  const v = XMLValidator.validate(xml);
  if (v !== true) throw new NotScriptError(`not well-formed (line ${v.err.line})`);
  return parser.parse(xml) as Tree;
}

export function text(n: unknown): string | undefined {
  if (typeof n === 'string') return n || undefined;
  if (n && typeof n === 'object' && '#text' in n) return text((n as Tree)['#text']);
  return undefined;
}
export function get(n: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Tree)[k] : undefined), n);
}

export interface Header {
  to: { q: string; id: string };
  from: { q: string; id: string };
  messageId: string;
  relatesTo?: string;
}

export function buildMessage(h: Header, type: string, body: unknown): string {
  const header: Tree = {
    To: { '@_Qualifier': h.to.q, '#text': h.to.id },
    From: { '@_Qualifier': h.from.q, '#text': h.from.id },
    MessageID: h.messageId,
    ...(h.relatesTo ? { RelatesToMessageID: h.relatesTo } : {}),
    SentTime: new Date().toISOString(),
    SenderSoftware: {
      SenderSoftwareDeveloper: 'WintEHR',
      SenderSoftwareProduct: 'Surescripts simulator',
      SenderSoftwareVersionRelease: '0.1',
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ Message: { '@_xmlns': NS, ...VERSION, Header: header, Body: { [type]: body } } })}`;
}

export const statusBody = (code: string, description?: string) => ({
  Code: code,
  ...(description ? { Description: description } : {}),
});
export const errorBody = (code: string, descriptionCode: string, description: string) => ({
  Code: code,
  DescriptionCode: descriptionCode,
  Description: description,
});
