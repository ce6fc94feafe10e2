import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineText, parseInline, parseMarkdown, safeHref } from './markdown';

test('inline: strong, emphasis, code and escapes as the CDS service writes them', () => {
  assert.deepEqual(parseInline('**ibuprofen 400 MG** (proposed) + _x_'), [
    { t: 'strong', c: [{ t: 'text', v: 'ibuprofen 400 MG' }] },
    { t: 'text', v: ' (proposed) + ' },
    { t: 'em', c: [{ t: 'text', v: 'x' }] },
  ]);
  assert.deepEqual(parseInline('a \\*literal\\* star and `**not bold**`'), [
    { t: 'text', v: 'a *literal* star and ' },
    { t: 'code', v: '**not bold**' },
  ]);
  assert.equal(inlineText(parseInline('snake_case_name stays')), 'snake_case_name stays');
  assert.equal(inlineText(parseInline('unclosed **bold')), 'unclosed **bold');
});

test('links: only http(s) and mailto survive; script URLs become text', () => {
  assert.deepEqual(parseInline('[label](https://example.org/a)'), [
    { t: 'link', href: 'https://example.org/a', c: [{ t: 'text', v: 'label' }] },
  ]);
  assert.deepEqual(parseInline('[click](javascript:alert(1))'), [
    { t: 'text', v: 'click' },
    { t: 'text', v: ')' },
  ]);
  assert.equal(safeHref('data:text/html,<b>'), undefined);
  assert.equal(safeHref('mailto:a@b.org'), 'mailto:a@b.org');
});

test('raw HTML is text, never markup', () => {
  assert.deepEqual(parseInline('<img src=x onerror=alert(1)>'), [{ t: 'text', v: '<img src=x onerror=alert(1)>' }]);
});

test('blocks: paragraphs, lists, headings and line breaks', () => {
  const blocks = parseMarkdown(
    '# Title\n**Effect:** bleeding\n**Management:** avoid\n\n- one\n- two\n\n1. first\n2. second\n\n_Source: FDA_',
  );
  assert.deepEqual(
    blocks.map((b) => b.t),
    ['h', 'p', 'ul', 'ol', 'p'],
  );
  const p = blocks[1]!;
  assert.ok(p.t === 'p' && p.c.some((n) => n.t === 'br'));
  const ul = blocks[2]!;
  assert.ok(ul.t === 'ul' && ul.items.length === 2);
  assert.deepEqual(parseMarkdown(''), []);
});
