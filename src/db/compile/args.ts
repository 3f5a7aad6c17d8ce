/** A field's coerced arguments as the filters and limits the compiled Cypher takes. */
import type { Domain, Status } from '../../ontology';
import { factFilter, type FactFilter } from '../filters';

/** A Date scalar value (a JS Date at UTC midnight) as its day, as the resolvers read it (src/resolvers/args.ts day). */
function dayOf(value: unknown): string | null {
  return value instanceof Date ? value.toISOString().slice(0, 10) : null;
}

export function filterOf(args: Record<string, unknown>): FactFilter {
  return factFilter({
    status: (args.status as Status[] | null | undefined) ?? null,
    asOf: dayOf(args.asOf),
    includeUnknown: (args.includeUnknown as boolean | null | undefined) ?? null,
    domain: (args.domain as Domain | null | undefined) ?? null,
    knownOn: dayOf(args.knownOn),
  });
}

export function typesOf(args: Record<string, unknown>): string[] | null {
  return (args.types as string[] | null | undefined) ?? null;
}

/** A page size within 1..100, or null when it is not one (the resolver then refuses it). */
export function pageSize(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100 ? value : null;
}
