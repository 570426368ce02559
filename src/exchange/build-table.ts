/**
 * Exchange setup builds as data, one row per release an admin would name
 * ("2016 CU23"), with the full build of its media (major.minor.build.revision).
 *
 * Sources:
 * - Microsoft "Exchange Server build numbers and release dates"
 *   (learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates): every row up to 2019 CU10 /
 *   2016 CU21 / 2013 CU23, 2010, 2007, 2003, 2000. The page prints 2003 SP2 as "6.5.7683", a transposition:
 *   Exchange's own ServerVersion constant and real serialNumber values ("Build 7638.2: Service Pack 2") say 7638.
 * - microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 (GetExchangeBuildDictionary,
 *   commit f88378b1, 2026-04-02): 2016 CU22–CU23, 2019 CU11–CU15, SE RTM and the security-update builds.
 *
 * AD holds the build of the last setup run (RTM/SP/CU), so rows are keyed on
 * major.minor.build. Some security updates (January 2023 on) stamp their own
 * revision into serialNumber: SECURITY_UPDATES names those builds, and
 * version.ts tells them from the CU media build.
 */
export interface BuildRow {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  /** revision of the release media; null where the source gives none (2000/2003) */
  readonly revision: number | null;
  readonly release: string;
}

const rows = (major: number, minor: number, list: ReadonlyArray<readonly [string, number, number | null]>): BuildRow[] =>
  list.map(([release, build, revision]) => ({ major, minor, build, revision, release }));

export const BUILDS: readonly BuildRow[] = [
  // Exchange 2000 Server
  ...rows(6, 0, [['RTM', 4417, null], ['SP1', 4712, null], ['SP2', 5762, null], ['SP3', 6249, null]]),
  // Exchange Server 2003 (SP2 is 7638; the docs table's "7683" is a transposition)
  ...rows(6, 5, [['RTM', 6944, null], ['SP1', 7226, null], ['SP2', 7638, null]]),
  // Exchange Server 2007: the minor version is the service pack
  ...rows(8, 0, [['RTM', 685, 25]]),
  ...rows(8, 1, [['SP1', 240, 6]]),
  ...rows(8, 2, [['SP2', 176, 2]]),
  ...rows(8, 3, [['SP3', 83, 6], ['SP3 RU23', 517, 0]]),
  // Exchange Server 2010
  ...rows(14, 0, [['RTM', 639, 21]]),
  ...rows(14, 1, [['SP1', 218, 15]]),
  ...rows(14, 2, [['SP2', 247, 5]]),
  ...rows(14, 3, [['SP3', 123, 4], ['SP3 RU32', 513, 0]]),
  // Exchange Server 2013 (SP1 = CU4)
  ...rows(15, 0, [
    ['RTM', 516, 32], ['CU1', 620, 29], ['CU2', 712, 24], ['CU3', 775, 38], ['SP1', 847, 32], ['CU5', 913, 22],
    ['CU6', 995, 29], ['CU7', 1044, 25], ['CU8', 1076, 9], ['CU9', 1104, 5], ['CU10', 1130, 7], ['CU11', 1156, 6],
    ['CU12', 1178, 4], ['CU13', 1210, 3], ['CU14', 1236, 3], ['CU15', 1263, 5], ['CU16', 1293, 2], ['CU17', 1320, 4],
    ['CU18', 1347, 2], ['CU19', 1365, 1], ['CU20', 1367, 3], ['CU21', 1395, 4], ['CU22', 1473, 3], ['CU23', 1497, 2],
  ]),
  // Exchange Server 2016
  ...rows(15, 1, [
    ['RTM', 225, 42], ['CU1', 396, 30], ['CU2', 466, 34], ['CU3', 544, 27], ['CU4', 669, 32], ['CU5', 845, 34],
    ['CU6', 1034, 26], ['CU7', 1261, 35], ['CU8', 1415, 2], ['CU9', 1466, 3], ['CU10', 1531, 3], ['CU11', 1591, 10],
    ['CU12', 1713, 5], ['CU13', 1779, 2], ['CU14', 1847, 3], ['CU15', 1913, 5], ['CU16', 1979, 3], ['CU17', 2044, 4],
    ['CU18', 2106, 2], ['CU19', 2176, 2], ['CU20', 2242, 4], ['CU21', 2308, 8], ['CU22', 2375, 7], ['CU23', 2507, 6],
  ]),
  // Exchange Server 2019 (15.2 below 2562) and Subscription Edition (15.2.2562+)
  ...rows(15, 2, [
    ['RTM', 221, 12], ['CU1', 330, 5], ['CU2', 397, 3], ['CU3', 464, 5], ['CU4', 529, 5], ['CU5', 595, 3],
    ['CU6', 659, 4], ['CU7', 721, 2], ['CU8', 792, 3], ['CU9', 858, 5], ['CU10', 922, 7], ['CU11', 986, 5],
    ['CU12', 1118, 7], ['CU13', 1258, 12], ['CU14', 1544, 4], ['CU15', 1748, 10],
    ['RTM', 2562, 17],
  ]),
];

/**
 * Security and hotfix updates of the CUs that were current from January 2023 on (the SUs that can stamp
 * serialNumber), keyed "major.minor.build" → revision → name. From CSS-Exchange
 * GetExchangeBuildDictionary (commit f88378b1); the names are CSS-Exchange's ("Jan23SU", "Apr24HU").
 */
const su = (list: ReadonlyArray<readonly [string, number]>): ReadonlyMap<number, string> => new Map(list.map(([name, rev]) => [rev, name]));

export const SECURITY_UPDATES: ReadonlyMap<string, ReadonlyMap<number, string>> = new Map([
  ['15.0.1497', su([['Nov22SU', 44], ['Jan23SU', 45], ['Feb23SU', 47], ['Mar23SU', 48]])],
  ['15.1.2375', su([['Nov22SU', 37]])],
  ['15.1.2507', su([
    ['Nov22SU', 16], ['Jan23SU', 17], ['Feb23SU', 21], ['Mar23SU', 23], ['Jun23SU', 27], ['Aug23SU', 31], ['Aug23SUv2', 32],
    ['Oct23SU', 34], ['Nov23SU', 35], ['Mar24SU', 37], ['Apr24HU', 39], ['Nov24SU', 43], ['Nov24SUv2', 44], ['Apr25HU', 55],
    ['May25HU', 57], ['Aug25SU', 58], ['Sep25HU', 59], ['Oct25SU', 61], ['Dec25SU', 63], ['Feb26SU', 66],
  ])],
  ['15.2.986', su([['Nov22SU', 36], ['Jan23SU', 37], ['Feb23SU', 41], ['Mar23SU', 42]])],
  ['15.2.1118', su([
    ['Nov22SU', 20], ['Jan23SU', 21], ['Feb23SU', 25], ['Mar23SU', 26], ['Jun23SU', 30], ['Aug23SU', 36], ['Aug23SUv2', 37],
    ['Oct23SU', 39], ['Nov23SU', 40],
  ])],
  ['15.2.1258', su([
    ['Jun23SU', 16], ['Aug23SU', 23], ['Aug23SUv2', 25], ['Oct23SU', 27], ['Nov23SU', 28], ['Mar24SU', 32], ['Apr24HU', 34],
    ['Nov24SU', 38], ['Nov24SUv2', 39],
  ])],
  ['15.2.1544', su([
    ['Mar24SU', 9], ['Apr24HU', 11], ['Nov24SU', 13], ['Nov24SUv2', 14], ['Apr25HU', 25], ['May25HU', 27], ['Aug25SU', 33],
    ['Sep25HU', 34], ['Oct25SU', 36], ['Dec25SU', 37], ['Feb26SU', 39],
  ])],
  ['15.2.1748', su([['Apr25HU', 24], ['May25HU', 26], ['Aug25SU', 36], ['Sep25HU', 37], ['Oct25SU', 39], ['Dec25SU', 42], ['Feb26SU', 43]])],
  ['15.2.2562', su([['Aug25SU', 20], ['Sep25HU', 27], ['Oct25SU', 29], ['Dec25SU', 35], ['Feb26SU', 37]])],
]);

/**
 * serialNumber values Microsoft's support article "Version error when you install Exchange Server in
 * RecoverServer mode" (learn.microsoft.com troubleshoot article, ms.date 01/24/2024) lists for resetting an
 * SU-stamped serialNumber, verbatim, keyed "major.minor.build".
 */
export const SERIAL_RESET_VALUES: ReadonlyMap<string, string> = new Map([
  ['15.2.1118', 'Version 15.2 (Build 31118.007)'], // Exchange Server 2019 CU12
  ['15.2.986', 'Version 15.2 (Build 30986.005)'], // Exchange Server 2019 CU11
  ['15.1.2507', 'Version 15.1 (Build 32507.006)'], // Exchange Server 2016 CU23
  ['15.1.2375', 'Version 15.1 (Build 32375.007)'], // Exchange Server 2016 CU22
]);
