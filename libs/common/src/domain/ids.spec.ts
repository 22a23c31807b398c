import { uuidv7 } from './ids';

describe(uuidv7.name, () => {
  it('is a version 7, variant 10 UUID carrying the time', () => {
    const id = uuidv7(0x0190_1234_5678);

    expect(id).toMatch(/^01901234-5678-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('increases strictly, also within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => uuidv7(1_800_000_000_000));

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
