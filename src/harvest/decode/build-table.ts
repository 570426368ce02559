/**
 * Exchange setup builds as data, one row per release an admin would name
 * ("2016 CU23"). Sources: Microsoft "Exchange Server build numbers and release
 * dates" and CSS-Exchange Get-ExchangeBuildVersionInformation.ps1 (see
 * /work/shared/reference/exchange-ad-layout.md §4.5). AD holds the build of
 * the last setup run (RTM/SP/CU); security updates change only the revision,
 * so rows are keyed on major.minor.build and the revision is ignored.
 *
 * Adding a release = one row here and one test row in
 * test/unit/harvest/version.test.ts.
 */
export interface BuildRow {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly release: string;
}

const rows = (major: number, minor: number, list: ReadonlyArray<readonly [string, number]>): BuildRow[] =>
  list.map(([release, build]) => ({ major, minor, build, release }));

export const BUILDS: readonly BuildRow[] = [
  // Exchange 2000 Server
  ...rows(6, 0, [['RTM', 4417], ['SP1', 4712], ['SP2', 5762], ['SP3', 6249]]),
  // Exchange Server 2003 (SP2 is 7638; the docs table's "7683" is a transposition)
  ...rows(6, 5, [['RTM', 6944], ['SP1', 7226], ['SP2', 7638]]),
  // Exchange Server 2007: the minor version is the service pack
  ...rows(8, 0, [['RTM', 685]]),
  ...rows(8, 1, [['SP1', 240]]),
  ...rows(8, 2, [['SP2', 176]]),
  ...rows(8, 3, [['SP3', 83], ['SP3 RU23', 517]]),
  // Exchange Server 2010
  ...rows(14, 0, [['RTM', 639]]),
  ...rows(14, 1, [['SP1', 218]]),
  ...rows(14, 2, [['SP2', 247]]),
  ...rows(14, 3, [['SP3', 123], ['SP3 RU32', 513]]),
  // Exchange Server 2013 (SP1 = CU4)
  ...rows(15, 0, [
    ['RTM', 516], ['CU1', 620], ['CU2', 712], ['CU3', 775], ['SP1', 847], ['CU5', 913], ['CU6', 995],
    ['CU7', 1044], ['CU8', 1076], ['CU9', 1104], ['CU10', 1130], ['CU11', 1156], ['CU12', 1178],
    ['CU13', 1210], ['CU14', 1236], ['CU15', 1263], ['CU16', 1293], ['CU17', 1320], ['CU18', 1347],
    ['CU19', 1365], ['CU20', 1367], ['CU21', 1395], ['CU22', 1473], ['CU23', 1497],
  ]),
  // Exchange Server 2016
  ...rows(15, 1, [
    ['RTM', 225], ['CU1', 396], ['CU2', 466], ['CU3', 544], ['CU4', 669], ['CU5', 845], ['CU6', 1034],
    ['CU7', 1261], ['CU8', 1415], ['CU9', 1466], ['CU10', 1531], ['CU11', 1591], ['CU12', 1713],
    ['CU13', 1779], ['CU14', 1847], ['CU15', 1913], ['CU16', 1979], ['CU17', 2044], ['CU18', 2106],
    ['CU19', 2176], ['CU20', 2242], ['CU21', 2308], ['CU22', 2375], ['CU23', 2507],
  ]),
  // Exchange Server 2019 (15.2 below 2562) and Subscription Edition (15.2.2562+)
  ...rows(15, 2, [
    ['RTM', 221], ['CU1', 330], ['CU2', 397], ['CU3', 464], ['CU4', 529], ['CU5', 595], ['CU6', 659],
    ['CU7', 721], ['CU8', 792], ['CU9', 858], ['CU10', 922], ['CU11', 986], ['CU12', 1118],
    ['CU13', 1258], ['CU14', 1544], ['CU15', 1748],
    ['RTM', 2562],
  ]),
];
