import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContrastRatio } from '@mui/material/styles';
import { theme } from './theme';

// Chips, buttons and badges paint contrastText on main: every palette colour must reach WCAG AA (4.5:1) for small
// text, whichever colour a screen happens to show at the moment (a "Due" dose chip only appears at some hours).
const colours = ['primary', 'secondary', 'error', 'warning', 'info', 'success'] as const;

for (const name of colours) {
  test(`${name}: contrast text on the main colour meets WCAG AA`, () => {
    const c = theme.palette[name];
    const ratio = getContrastRatio(c.main, c.contrastText);
    assert.ok(ratio >= 4.5, `${name} ${c.main} / ${c.contrastText} = ${ratio.toFixed(2)}:1`);
  });
  test(`${name}: the main colour as text on white meets WCAG AA`, () => {
    const ratio = getContrastRatio(theme.palette[name].main, '#ffffff');
    assert.ok(ratio >= 4.5, `${name} text ${theme.palette[name].main} on white = ${ratio.toFixed(2)}:1`);
  });
}
