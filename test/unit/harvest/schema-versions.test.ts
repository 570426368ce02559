import { describe, expect, it } from 'vitest';
import {
  functionalLevelName, MESO_OBJECT_VERSION, mesoRelease, ORG_OBJECT_VERSION, orgRelease, SCHEMA_RANGE_UPPER, schemaRelease,
} from '../../../src/harvest/decode/schema-versions.js';

describe('Exchange schema rangeUpper', () => {
  it.each([...SCHEMA_RANGE_UPPER])('%i → %s', (value, release) => expect(schemaRelease(value)).toBe(release));
  it.each([
    [6870, 'Exchange Server 2003 RTM–SP2'],
    [14622, 'Exchange Server 2007 SP2 or Exchange Server 2010 RTM'],
    [15334, 'Exchange Server 2016 CU21–CU23'],
    [17003, 'Exchange Server 2019 CU10–CU15 or Exchange Server SE RTM'],
  ])('known value %i', (value, release) => expect(schemaRelease(value)).toBe(release));
  it('unknown and absent', () => {
    expect(schemaRelease(17999)).toBeNull();
    expect(schemaRelease(null)).toBeNull();
  });
});

describe('organization objectVersion', () => {
  it.each([...ORG_OBJECT_VERSION])('%i → %s', (value, release) => expect(orgRelease(value)).toBe(release));
  it('16763 is 2019 CU15 / SE', () => expect(orgRelease(16763)).toBe('Exchange Server 2019 CU15 or Exchange Server SE RTM'));
});

describe('MESO objectVersion', () => {
  it.each([...MESO_OBJECT_VERSION])('%i → %s', (value, release) => expect(mesoRelease(value)).toBe(release));
});

describe('functional levels', () => {
  it.each([
    [0, 'Windows 2000'],
    [1, 'Windows Server 2003 interim'],
    [2, 'Windows Server 2003'],
    [3, 'Windows Server 2008'],
    [4, 'Windows Server 2008 R2'],
    [5, 'Windows Server 2012'],
    [6, 'Windows Server 2012 R2'],
    [7, 'Windows Server 2016'],
    [10, 'Windows Server 2025'],
  ])('%i → %s', (level, name) => expect(functionalLevelName(level)).toBe(name));
  it('unassigned levels have no name', () => {
    expect(functionalLevelName(8)).toBeNull();
    expect(functionalLevelName(9)).toBeNull();
    expect(functionalLevelName(null)).toBeNull();
  });
});
