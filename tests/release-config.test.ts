import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PACKAGES } from '../scripts/packages.mjs';

// The release path: every package pack:all packs is public, published with provenance, and known
// to changesets; the root scripts the README names exist.

const manifest = async (path: string) => JSON.parse(await readFile(new URL(path, import.meta.url), 'utf8'));

describe('the release path', () => {
  it('publishes every package publicly, with provenance', async () => {
    for (const name of PACKAGES) {
      const pkg = await manifest(`../packages/${name}/package.json`);
      expect({ name: pkg.name, publishConfig: pkg.publishConfig }).toEqual({
        name: `@tokenwire/${name}`,
        publishConfig: { access: 'public', provenance: true },
      });
      expect(pkg.private).toBeUndefined();
    }
  });

  it('has the scripts the README names: changeset, version-packages, release, pack:all', async () => {
    const { scripts } = await manifest('../package.json');
    expect(scripts.release).toContain('NPM_CONFIG_PROVENANCE=true changeset publish');
    expect(scripts['version-packages']).toContain('changeset version');
    expect(scripts['pack:all']).toContain('scripts/pack-all.mjs');
    expect(scripts['check:packages']).toContain('scripts/check-install.mjs');
    const config = await manifest('../.changeset/config.json');
    expect(config).toMatchObject({ access: 'public', baseBranch: 'main' });
  });
});
