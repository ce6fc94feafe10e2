/**
 * A small, safe Markdown subset for CDS card details (CDS Hooks 2.0 says `detail` is GitHub-flavoured Markdown).
 * It parses to a tree that React renders as elements, so no HTML from a service ever reaches the DOM: paragraphs,
 * bullet and numbered lists, headings, **strong**, _emphasis_, `code`, [links](https://…) and backslash escapes.
 * Links are kept only for http(s) and mailto; anything else (javascript:, data:) stays plain text.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; items: Inline[][] };

const ESCAPABLE = /[\\`*_[\]{}()<>#+\-.!|~]/;

export function safeHref(url: string): string | undefined {
  const u = url.trim();
  return /^(https?:\/\/|mailto:)/i.test(u) && !/\s/.test(u) ? u : undefined;
}

/** Index of the next unescaped `delim` at or after `from` (outside code spans), or -1. */
function findClose(s: string, from: number, delim: string): number {
  for (let k = from; k < s.length; k++) {
    if (s[k] === '\\') {
      k++;
      continue;
    }
    if (s[k] === '`') {
      const j = s.indexOf('`', k + 1);
      if (j > 0) {
        k = j;
        continue;
      }
    }
    if (s.startsWith(delim, k) && (delim.length > 1 || s[k + 1] !== delim)) return k;
  }
  return -1;
}

const wordChar = (c: string | undefined) => !!c && /[A-Za-z0-9]/.test(c);

export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) {
      out.push({ t: 'text', v: buf });
      buf = '';
    }
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1]!)) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const j = s.indexOf('`', i + 1);
      if (j > i) {
        flush();
        out.push({ t: 'code', v: s.slice(i + 1, j) });
        i = j + 1;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && s[i + 1] === ch) {
      const j = findClose(s, i + 2, ch + ch);
      if (j > i + 2) {
        flush();
        out.push({ t: 'strong', c: parseInline(s.slice(i + 2, j)) });
        i = j + 2;
        continue;
      }
    }
    // `_` only opens emphasis at a word boundary, so snake_case_names stay as they are.
    if ((ch === '*' || (ch === '_' && !wordChar(s[i - 1]))) && s[i + 1] !== ch && s[i + 1] !== ' ') {
      const j = findClose(s, i + 1, ch);
      if (j > i + 1 && (ch === '*' || !wordChar(s[j + 1]))) {
        flush();
        out.push({ t: 'em', c: parseInline(s.slice(i + 1, j)) });
        i = j + 1;
        continue;
      }
    }
    if (ch === '[') {
      const close = findClose(s, i + 1, ']');
      if (close > i && s[close + 1] === '(') {
        const end = s.indexOf(')', close + 2);
        if (end > close) {
          const label = parseInline(s.slice(i + 1, close));
          const href = safeHref(s.slice(close + 2, end));
          flush();
          if (href) out.push({ t: 'link', href, c: label });
          else out.push(...label);
          i = end + 1;
          continue;
        }
      }
    }
    if (ch === '\n') {
      flush();
      out.push({ t: 'br' });
      i++;
      continue;
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*)$/;

export function parseMarkdown(src: string): Block[] {
  const blocks: Block[] = [];
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  const endPara = () => {
    if (para.length) {
      blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
      para = [];
    }
  };
  for (const line of lines) {
    if (!line.trim()) {
      endPara();
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      endPara();
      blocks.push({ t: 'h', level: h[1]!.length, c: parseInline(h[2]!) });
      continue;
    }
    const b = BULLET.exec(line);
    const n = b ? undefined : NUMBERED.exec(line);
    if (b || n) {
      endPara();
      const kind = b ? 'ul' : 'ol';
      const last = blocks.at(-1);
      const item = parseInline((b ?? n)![1]!);
      if (last && last.t === kind) last.items.push(item);
      else blocks.push({ t: kind, items: [item] });
      continue;
    }
    para.push(line);
  }
  endPara();
  return blocks;
}

/** The plain text of a parsed detail (for a screen-reader summary or a fallback). */
export function inlineText(nodes: Inline[]): string {
  return nodes.map((n) => (n.t === 'text' || n.t === 'code' ? n.v : n.t === 'br' ? '\n' : inlineText(n.c))).join('');
}
