import { createHash } from 'node:crypto';
import { ADMIN_PAGE_CSP, escapeHtml, renderAdminPage } from './admin-page';

const inline = (html: string, tag: 'script' | 'style') => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)![1];
const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe(renderAdminPage.name, () => {
  it('escapes what it renders', () => {
    const html = renderAdminPage(['stripe', '"><script>alert(1)</script>']);

    expect(html).toContain('<option value="stripe">stripe</option>');
    expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('allows exactly its own inline script and style by hash, nothing else', () => {
    const html = renderAdminPage(['stripe']);

    expect(ADMIN_PAGE_CSP).toContain(`script-src ${hashOf(inline(html, 'script'))};`);
    expect(ADMIN_PAGE_CSP).toContain(`style-src ${hashOf(inline(html, 'style'))};`);
    expect(ADMIN_PAGE_CSP).toMatch(/^default-src 'none'; .*connect-src 'self'; .*frame-ancestors 'none'$/);
  });

  it('puts API data on the page as text only, and keeps the token nowhere', () => {
    const script = inline(renderAdminPage([]), 'script');

    expect(script).toContain('textContent');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(script).not.toMatch(/localStorage|sessionStorage|document\.cookie/);
  });
});

describe(escapeHtml.name, () => {
  it.each([
    ['<b>', '&#60;b&#62;'],
    ['a & b', 'a &#38; b'],
    [`"it's"`, '&#34;it&#39;s&#34;'],
    ['plain', 'plain'],
  ])('%s → %s', (text, expected) => {
    expect(escapeHtml(text)).toBe(expected);
  });
});
