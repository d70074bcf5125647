import { databaseUnavailable, storageFaultCode } from './storage-fault';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('storageFaultCode and databaseUnavailable', () => {
  it('names a disk that cannot be written', () => {
    expect(storageFaultCode(withCode('read-only', 'EROFS'))).toBe('EROFS');
    expect(storageFaultCode(new Error('wrapped', { cause: withCode('full', 'ENOSPC') }))).toBe('ENOSPC');
  });

  it('names a database that cannot be reached: sockets, SQLSTATEs of unavailability, node-postgres lost connections', () => {
    expect(databaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(databaseUnavailable(withCode('terminating connection due to administrator command', '57P01'))).toBe('57P01');
    expect(databaseUnavailable(withCode('database "x" is not currently accepting connections', '55000'))).toBe('55000');
    expect(databaseUnavailable(withCode('could not obtain lock on row', '55P03'))).toBeNull();
    expect(databaseUnavailable(withCode('connection failure', '08006'))).toBe('08006');
    expect(databaseUnavailable(withCode('too many connections', '53300'))).toBe('53300');
    expect(databaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe('CONNECTION_LOST');
    expect(databaseUnavailable(new Error('x', { cause: new Error('timeout exceeded when trying to connect') }))).toBe('CONNECTION_LOST');
    expect(storageFaultCode(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toBe('ECONNREFUSED');
  });

  it('leaves other errors alone: a constraint violation or a bug is not unavailability', () => {
    expect(databaseUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBeNull();
    expect(databaseUnavailable(new TypeError('x is undefined'))).toBeNull();
    expect(storageFaultCode(new Error('nothing'))).toBeNull();
  });
});
