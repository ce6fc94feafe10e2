import { unavailableDependency } from './unavailable';

describe('a lost database or cache is a 503, a wrong statement is not', () => {
  it.each([
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['terminated mid-query', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['admin shutdown (57P01)', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['connection exception class 08', Object.assign(new Error('x'), { code: '08006' })],
    ['Redis closed', new Error('Connection is closed.')],
    ['Redis retries exhausted', Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' })],
  ])('%s → 503 with Retry-After', (_name, err) => {
    const mapped = unavailableDependency(err);
    expect(mapped).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(mapped?.headers['Retry-After']).toBeDefined();
  });

  it.each([
    ['syntax error', Object.assign(new Error('syntax error at or near'), { code: '42601' })],
    ['unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'boom'],
    ['null', null],
  ])('%s is left alone', (_name, err) => {
    expect(unavailableDependency(err)).toBeUndefined();
  });
});
