import { describe, expect, it } from 'vitest';
import { bodyExcerpt } from './body-excerpt.js';

describe('bodyExcerpt', () => {
  it('names an HTML page by its title instead of copying it', () => {
    const page =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>Authorization: Bearer x</body></html>';
    expect(bodyExcerpt(page)).toBe('an HTML page (title "502 Bad Gateway")');
    expect(bodyExcerpt('<html><body>oops</body></html>')).toBe('an HTML page');
  });

  it('folds white space and cuts long text', () => {
    expect(bodyExcerpt('model   not\n found')).toBe('model not found');
    expect(bodyExcerpt('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
