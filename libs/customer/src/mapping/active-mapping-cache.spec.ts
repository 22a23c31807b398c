import { ActiveMappingCache, type ActiveMapping } from './active-mapping-cache';

const mapping = (id: string): ActiveMapping => ({ id, merchantCustomerId: `m-${id}`, connector: 'stripe', connectorCustomerId: `cus_${id}` });

describe(ActiveMappingCache.name, () => {
  it('returns what it remembered', () => {
    const sut = new ActiveMappingCache(10);
    sut.remember('a', mapping('1'));

    expect(sut.get('a')).toEqual(mapping('1'));
    expect(sut.get('b')).toBeUndefined();
  });

  it('evicts the least recently used beyond its capacity', () => {
    const sut = new ActiveMappingCache(2);
    sut.remember('a', mapping('1'));
    sut.remember('b', mapping('2'));
    sut.get('a');
    sut.remember('c', mapping('3'));

    expect(sut.get('b')).toBeUndefined();
    expect(sut.get('a')).toEqual(mapping('1'));
    expect(sut.get('c')).toEqual(mapping('3'));
    expect(sut.size).toBe(2);
  });

  it('can be turned off', () => {
    const sut = new ActiveMappingCache(0);
    sut.remember('a', mapping('1'));

    expect(sut.size).toBe(0);
  });
});

describe(`${ActiveMappingCache.name} over time`, () => {
  it('forgets an entry after its time to live, and on request', () => {
    let now = 1_000;
    const sut = new ActiveMappingCache(10, 5_000, () => now);
    sut.remember('a', mapping('1'));
    sut.remember('b', mapping('2'));

    now += 4_999;
    expect(sut.get('a')).toEqual(mapping('1'));
    sut.forget('a');
    expect(sut.get('a')).toBeUndefined();
    now += 1;
    expect(sut.get('b')).toBeUndefined();
  });
});
