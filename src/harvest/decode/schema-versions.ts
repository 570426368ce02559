/**
 * Forest preparation levels → the release that wrote them, and AD functional
 * levels → names. They decide which setup media (and /PrepareSchema,
 * /PrepareAD) a recovery needs. Values: reference §4.4 (TechNet wiki 2772,
 * Microsoft "Prepare Active Directory and domains", CSS-Exchange). Several
 * releases share a value (2007 SP2 and 2010 RTM both write rangeUpper 14622),
 * so a value maps to the text naming all of them.
 */

/** rangeUpper of CN=ms-Exch-Schema-Version-Pt */
export const SCHEMA_RANGE_UPPER: ReadonlyMap<number, string> = new Map([
  [4397, 'Exchange 2000 Server RTM'],
  [4406, 'Exchange 2000 Server SP3'],
  [6870, 'Exchange Server 2003 RTM–SP2'],
  [10637, 'Exchange Server 2007 RTM'],
  [11116, 'Exchange Server 2007 SP1'],
  [14622, 'Exchange Server 2007 SP2 or Exchange Server 2010 RTM'],
  [14625, 'Exchange Server 2007 SP3'],
  [14726, 'Exchange Server 2010 SP1'],
  [14732, 'Exchange Server 2010 SP2'],
  [14734, 'Exchange Server 2010 SP3'],
  [15137, 'Exchange Server 2013 RTM'],
  [15254, 'Exchange Server 2013 CU1'],
  [15281, 'Exchange Server 2013 CU2'],
  [15283, 'Exchange Server 2013 CU3'],
  [15292, 'Exchange Server 2013 SP1'],
  [15300, 'Exchange Server 2013 CU5'],
  [15303, 'Exchange Server 2013 CU6'],
  [15312, 'Exchange Server 2013 CU7–CU23'],
  [15317, 'Exchange Server 2016 RTM'],
  [15323, 'Exchange Server 2016 CU1'],
  [15325, 'Exchange Server 2016 CU2'],
  [15326, 'Exchange Server 2016 CU3–CU5'],
  [15330, 'Exchange Server 2016 CU6'],
  [15332, 'Exchange Server 2016 CU7–CU19'],
  [15333, 'Exchange Server 2016 CU20'],
  [15334, 'Exchange Server 2016 CU21–CU23'],
  [17000, 'Exchange Server 2019 RTM–CU1'],
  [17001, 'Exchange Server 2019 CU2–CU7'],
  [17002, 'Exchange Server 2019 CU8–CU9'],
  [17003, 'Exchange Server 2019 CU10–CU15 or Exchange Server SE RTM'],
]);

/** objectVersion of the organization object (config NC) */
export const ORG_OBJECT_VERSION: ReadonlyMap<number, string> = new Map([
  [6903, 'Exchange Server 2003'],
  [10666, 'Exchange Server 2007 RTM'],
  [11221, 'Exchange Server 2007 SP1'],
  [11222, 'Exchange Server 2007 SP2–SP3'],
  [12640, 'Exchange Server 2010 RTM'],
  [13214, 'Exchange Server 2010 SP1'],
  [14247, 'Exchange Server 2010 SP2'],
  [14322, 'Exchange Server 2010 SP3'],
  [15449, 'Exchange Server 2013 RTM'],
  [15614, 'Exchange Server 2013 CU1'],
  [15688, 'Exchange Server 2013 CU2'],
  [15763, 'Exchange Server 2013 CU3'],
  [15844, 'Exchange Server 2013 SP1'],
  [15870, 'Exchange Server 2013 CU5'],
  [15965, 'Exchange Server 2013 CU6–CU9'],
  [16130, 'Exchange Server 2013 CU10–CU21'],
  [16131, 'Exchange Server 2013 CU22'],
  [16133, 'Exchange Server 2013 CU23'],
  [16210, 'Exchange Server 2016 RTM'],
  [16223, 'Exchange Server 2016 CU21–CU23'],
  [16751, 'Exchange Server 2019 RTM'],
  [16752, 'Exchange Server 2019 CU1'],
  [16760, 'Exchange Server 2019 CU12'],
  [16763, 'Exchange Server 2019 CU15 or Exchange Server SE RTM'],
]);

/** objectVersion of CN=Microsoft Exchange System Objects (per domain) */
export const MESO_OBJECT_VERSION: ReadonlyMap<number, string> = new Map([
  [4406, 'Exchange 2000 Server'],
  [6936, 'Exchange Server 2003'],
  [10628, 'Exchange Server 2007 RTM'],
  [11221, 'Exchange Server 2007 SP1–SP3'],
  [12639, 'Exchange Server 2010 RTM'],
  [13040, 'Exchange Server 2010 SP1–SP3'],
  [13236, 'Exchange Server 2013 CU10 or later, 2016, 2019'],
  [13237, 'Exchange Server 2013 CU23'],
  [13243, 'Exchange Server 2016 CU23, 2019 CU15 or SE RTM'],
]);

export function schemaRelease(rangeUpper: number | null): string | null {
  return rangeUpper === null ? null : SCHEMA_RANGE_UPPER.get(rangeUpper) ?? null;
}

export function orgRelease(objectVersion: number | null): string | null {
  return objectVersion === null ? null : ORG_OBJECT_VERSION.get(objectVersion) ?? null;
}

export function mesoRelease(objectVersion: number | null): string | null {
  return objectVersion === null ? null : MESO_OBJECT_VERSION.get(objectVersion) ?? null;
}

/**
 * msDS-Behavior-Version → functional level name ([MS-ADTS] 6.1.4.4). 8 and 9
 * were never assigned; 10 is Windows Server 2025.
 */
const FUNCTIONAL_LEVELS: ReadonlyMap<number, string> = new Map([
  [0, 'Windows 2000'],
  [1, 'Windows Server 2003 interim'],
  [2, 'Windows Server 2003'],
  [3, 'Windows Server 2008'],
  [4, 'Windows Server 2008 R2'],
  [5, 'Windows Server 2012'],
  [6, 'Windows Server 2012 R2'],
  [7, 'Windows Server 2016'],
  [10, 'Windows Server 2025'],
]);

export function functionalLevelName(level: number | null): string | null {
  return level === null ? null : FUNCTIONAL_LEVELS.get(level) ?? null;
}
