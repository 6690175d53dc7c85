// The committed lock file lists every optional platform binary, so `npm ci` accepts it on a fresh clone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { platformOf, restorePlatformEntries } from '../../scripts/lockfile-platforms';

it('needs no restored platform entries (run `npx tsx scripts/lockfile-platforms.ts` after npm install)', () => {
  const lock = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package-lock.json'), 'utf8'));
  expect(restorePlatformEntries(lock)).toEqual([]);
});

it('reads os, cpu and libc from a binary package name', () => {
  expect(platformOf('@swc/core-linux-arm-gnueabihf')).toEqual({ os: ['linux'], cpu: ['arm'], libc: ['glibc'] });
  expect(platformOf('@unrs/resolver-binding-linux-riscv64-musl')).toEqual({ os: ['linux'], cpu: ['riscv64'], libc: ['musl'] });
  expect(platformOf('@swc/core-win32-ia32-msvc')).toEqual({ os: ['win32'], cpu: ['ia32'] });
  expect(platformOf('left-pad')).toBeUndefined();
});
