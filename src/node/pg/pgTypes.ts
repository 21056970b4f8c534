// Names of column types, as Postgres's format_type() spells them. RowDescription only carries a
// type OID; the common built-in types are known here, anything else (enums, domains, extension
// types such as vector or geometry) is looked up once per runner with format_type and cached.

/** Built-in type OIDs (stable across Postgres versions) and their format_type() names. */
export const BUILTIN_TYPE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [16, 'boolean'],
  [17, 'bytea'],
  [18, '"char"'],
  [19, 'name'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [24, 'regproc'],
  [25, 'text'],
  [26, 'oid'],
  [27, 'tid'],
  [28, 'xid'],
  [114, 'json'],
  [142, 'xml'],
  [194, 'pg_node_tree'],
  [600, 'point'],
  [650, 'cidr'],
  [700, 'real'],
  [701, 'double precision'],
  [705, 'unknown'],
  [774, 'macaddr8'],
  [790, 'money'],
  [829, 'macaddr'],
  [869, 'inet'],
  [1033, 'aclitem'],
  [1042, 'character'],
  [1043, 'character varying'],
  [1082, 'date'],
  [1083, 'time without time zone'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
  [1186, 'interval'],
  [1266, 'time with time zone'],
  [1560, 'bit'],
  [1562, 'bit varying'],
  [1700, 'numeric'],
  [2205, 'regclass'],
  [2206, 'regtype'],
  [2249, 'record'],
  [2278, 'void'],
  [2950, 'uuid'],
  [3220, 'pg_lsn'],
  [3614, 'tsvector'],
  [3615, 'tsquery'],
  [3802, 'jsonb'],
  [3904, 'int4range'],
  [3906, 'numrange'],
  [3908, 'tsrange'],
  [3910, 'tstzrange'],
  [3912, 'daterange'],
  [3926, 'int8range'],
  [4089, 'regnamespace'],
  [4096, 'regrole'],
  [5069, 'xid8'],
  // arrays
  [199, 'json[]'],
  [651, 'cidr[]'],
  [1000, 'boolean[]'],
  [1001, 'bytea[]'],
  [1002, '"char"[]'],
  [1003, 'name[]'],
  [1005, 'smallint[]'],
  [1007, 'integer[]'],
  [1009, 'text[]'],
  [1014, 'character[]'],
  [1015, 'character varying[]'],
  [1016, 'bigint[]'],
  [1021, 'real[]'],
  [1022, 'double precision[]'],
  [1028, 'oid[]'],
  [1034, 'aclitem[]'],
  [1041, 'inet[]'],
  [1115, 'timestamp without time zone[]'],
  [1182, 'date[]'],
  [1185, 'timestamp with time zone[]'],
  [1187, 'interval[]'],
  [1231, 'numeric[]'],
  [2951, 'uuid[]'],
  [3807, 'jsonb[]'],
]);

/** Runs one query and returns its rows as arrays; the runner passes its connection. */
export type RowQuery = (text: string, values: unknown[]) => Promise<unknown[][]>;

export class TypeNames {
  private readonly looked = new Map<number, string>();

  /** The name if known without asking the server. */
  known(oid: number): string | undefined {
    return BUILTIN_TYPE_NAMES.get(oid) ?? this.looked.get(oid);
  }

  /** The name, or `oid 12345` for a type nobody could name (the lookup failed or was skipped). */
  name(oid: number): string {
    return this.known(oid) ?? `oid ${oid}`;
  }

  /** Asks the server once for the OIDs not known yet. A failed lookup leaves them unnamed. */
  async learn(oids: Iterable<number>, query: RowQuery): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => this.known(oid) === undefined);
    if (missing.length === 0) return;
    const rows = await query('SELECT t.oid::int8, format_type(t.oid, NULL) FROM unnest($1::oid[]) AS t(oid)', [
      missing,
    ]);
    for (const [oid, name] of rows) {
      if (typeof name === 'string') this.looked.set(Number(oid), name);
    }
  }
}
