import { parseConfig } from '../../src/config';

describe('config', () => {
  it('has defaults for a fresh clone', () => {
    const cfg = parseConfig({});
    expect(cfg.PORT).toBe(4000);
    expect(cfg.NEO4J_URI).toBeUndefined();
    expect(cfg.NEO4J_LOCAL_PORT).toBe(7687);
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('treats an empty NEO4J_URI as unset', () => {
    expect(parseConfig({ NEO4J_URI: '  ' }).NEO4J_URI).toBeUndefined();
  });

  it('names every bad variable with its value', () => {
    expect(() => parseConfig({ PORT: '99999', LOG_LEVEL: 'loud' })).toThrow(
      /PORT="99999": Too big: expected number to be <=65535[\s\S]*LOG_LEVEL="loud"/,
    );
  });
});
