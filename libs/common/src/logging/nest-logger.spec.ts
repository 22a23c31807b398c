import { captureLog } from '@app/testing/capturing-log';
import { createAppLogger } from './logger';
import { createNestLogger } from './nest-logger';

describe(createNestLogger.name, () => {
  it('writes Nest’s log calls as JSON lines of the given app logger, with their context', () => {
    const first = captureLog();
    const second = captureLog();
    const sut = createNestLogger(createAppLogger({ level: 'info', destination: first.stream }));
    createNestLogger(createAppLogger({ level: 'info', destination: second.stream }));

    sut.log('Mapped {/v1/customers, POST} route', 'RouterExplorer');
    sut.warn('careful', 'Terminus');
    sut.debug?.('not at info', 'X');

    expect(first.records()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped {/v1/customers, POST} route', context: 'RouterExplorer', service: 'connector-service' }),
      expect.objectContaining({ level: 'warn', msg: 'careful', context: 'Terminus' }),
    ]);
    expect(second.lines).toEqual([]);
  });

  it('keeps the stack of an error Nest reports', () => {
    const log = captureLog();
    const sut = createNestLogger(createAppLogger({ level: 'info', destination: log.stream }));

    sut.error('boom', 'Error: boom\n    at somewhere (file.ts:1:1)', 'ExceptionHandler');

    expect(log.records()[0]).toMatchObject({ level: 'error', context: 'ExceptionHandler', err: expect.objectContaining({ message: 'boom', stack: expect.stringContaining('at somewhere') }) });
  });
});
