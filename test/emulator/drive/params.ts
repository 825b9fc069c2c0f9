import { ApiError } from '../http';
import { validateQuery } from '../validate';
import { DRIVE_DISCOVERY, DRIVE_METHODS } from './discovery';
import { invalidParameter } from './errors';

/**
 * Query parameters against the discovery document: unknown names and unparsable values (../validate,
 * as for the Library API), then the document's minimum/maximum ("pageSize": 1–1000).
 */
export function validateDriveQuery(method: string, query: URLSearchParams): void {
  const bound = DRIVE_METHODS.find((b) => b.name === method);
  if (!bound) throw new Error(`no discovery method ${method}`);
  try {
    validateQuery(DRIVE_DISCOVERY, bound.method, query);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const name = /Unknown name "([^"]+)"|Repeated values for field '([^']+)'|Invalid value at '([^']+)'/.exec(err.message);
    const location = (name?.[1] ?? name?.[2] ?? name?.[3] ?? 'query').replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    throw invalidParameter(location, err.message);
  }
  const params = DRIVE_DISCOVERY.resources[method.split('.')[0]]?.methods[method.split('.')[1]]?.parameters ?? {};
  for (const [name, spec] of Object.entries(params)) {
    const value = query.get(name);
    if (value === null || (spec.minimum === undefined && spec.maximum === undefined)) continue;
    const n = Number(value);
    if ((spec.minimum !== undefined && n < Number(spec.minimum)) || (spec.maximum !== undefined && n > Number(spec.maximum))) {
      throw invalidParameter(name, `Invalid value '${value}'. Values must be within the range: [${spec.minimum ?? '-∞'}, ${spec.maximum ?? '∞'}]`);
    }
  }
}
