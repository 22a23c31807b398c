import { createHash } from 'node:crypto';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { fingerprintCovers, KeyedDigests, mergeFingerprints } from './keyed-digests';
import type { MappingScopeService } from './mapping-scope.service';

const scope = (secret: string) => ({ derivedKey: (purpose: string) => createHash('sha256').update(`${secret}/${purpose}`).digest() }) as unknown as MappingScopeService;
const customer = (changes: Partial<CustomerProfile> = {}): CustomerProfile => ({ merchantCustomerId: 'c-1', name: 'Ann Lee', email: 'ann@example.com', metadata: { plan: 'gold' }, featureData: {}, ...changes });

describe(KeyedDigests.name, () => {
  const sut = new KeyedDigests(scope('one'));

  it('fingerprints the details without holding them, the same for the same details', () => {
    const fingerprint = sut.profileFingerprint(customer());

    expect(fingerprint).toBe(sut.profileFingerprint(customer({ featureData: { access_token: 'x' }, testMode: true })));
    for (const value of ['Ann Lee', 'ann@example.com', 'gold', 'plan']) expect(fingerprint).not.toContain(value);
    expect(fingerprint).not.toBe(sut.profileFingerprint(customer({ email: 'other@example.com' })));
    expect(fingerprint).not.toBe(new KeyedDigests(scope('two')).profileFingerprint(customer()));
  });

  it('tells an update that changes nothing, and merges one that does', () => {
    const sent = sut.profileFingerprint(customer());
    const sameEmail = sut.profileFingerprint({ merchantCustomerId: 'c-1', email: 'ann@example.com', metadata: {}, featureData: {} });
    const newEmail = sut.profileFingerprint({ merchantCustomerId: 'c-1', email: 'new@example.com', metadata: {}, featureData: {} });

    expect(fingerprintCovers(sent, sameEmail)).toBe(true);
    expect(fingerprintCovers(sent, newEmail)).toBe(false);
    expect(mergeFingerprints(sent, newEmail)).toBe(sut.profileFingerprint(customer({ email: 'new@example.com' })));
  });

  it('seals and unseals with the server secret, and refuses what another secret sealed', () => {
    const sealed = sut.seal({ email: 'ann@example.com' });

    expect(sealed).not.toContain('ann@example.com');
    expect(sut.unseal(sealed)).toEqual({ email: 'ann@example.com' });
    expect(() => new KeyedDigests(scope('two')).unseal(sealed)).toThrow();
  });
});
