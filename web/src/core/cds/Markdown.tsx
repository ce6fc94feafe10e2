import { Box, Link, Typography } from '@mui/material';
import { Fragment, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Inline } from './markdown';

function inline(nodes: Inline[]): ReactNode {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return <Fragment key={i}>{n.v}</Fragment>;
      case 'strong':
        return <strong key={i}>{inline(n.c)}</strong>;
      case 'em':
        return <em key={i}>{inline(n.c)}</em>;
      case 'code':
        return (
          <Box component="code" key={i} sx={{ fontFamily: 'monospace', fontSize: '0.9em' }}>
            {n.v}
          </Box>
        );
      case 'br':
        return <br key={i} />;
      case 'link':
        return (
          <Link key={i} href={n.href} target="_blank" rel="noopener noreferrer">
            {inline(n.c)}
          </Link>
        );
    }
  });
}

/** Renders a card's Markdown detail as React elements (see markdown.ts: no HTML from the service is ever injected). */
export function Markdown({ source }: { source: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <Box sx={{ '& p': { my: 0.5 }, '& ul, & ol': { my: 0.5, pl: 3 } }}>
      {blocks.map((b, i) => {
        switch (b.t) {
          case 'p':
            return (
              <Typography key={i} variant="body2" component="p">
                {inline(b.c)}
              </Typography>
            );
          case 'h':
            return (
              <Typography key={i} variant="subtitle2" component="p" sx={{ fontWeight: 700 }}>
                {inline(b.c)}
              </Typography>
            );
          case 'ul':
            return (
              <ul key={i}>
                {b.items.map((it, j) => (
                  <Typography key={j} component="li" variant="body2">
                    {inline(it)}
                  </Typography>
                ))}
              </ul>
            );
          case 'ol':
            return (
              <ol key={i}>
                {b.items.map((it, j) => (
                  <Typography key={j} component="li" variant="body2">
                    {inline(it)}
                  </Typography>
                ))}
              </ol>
            );
        }
      })}
    </Box>
  );
}
