/**
 * What each LDAP search asks the DC for. The expected lists were recorded
 * from the harvest before its kinds moved into the registry (one declaration
 * per kind instead of a separate kind table): folding them must not change
 * a single attribute a search requests, nor the number of searches. A kind
 * that reads a new attribute changes this list on purpose (since then: the
 * POP3/IMAP4 settings' five attributes on the Exchange search).
 */
import { describe, expect, it } from 'vitest';
import { attributesOf } from '../../../src/harvest/registry.js';
import { SEARCHES, type SearchId } from '../../../src/harvest/searches.js';

/** Read for every kind, besides what the lists name: the common attributes and objectGUID. */
const COMMON = ['adminDisplayName', 'cn', 'description', 'name', 'objectClass', 'objectGUID', 'whenCreated'];

const EXPECTED: Record<string, { attributes: string[]; binary: string[]; ranged: string[] }> = {
  exchange: {
    attributes: [
      'cost', 'homeMDBBL', 'keywords', 'legacyExchangeDN', 'msExchAcceptedDomainFlags', 'msExchAcceptedDomainName',
      'msExchActivationPreference', 'msExchAlternateFileShareWitness', 'msExchAlternateFileShareWitnessDirectory',
      'msExchAuthCertificateThumbprint', 'msExchClusterStorageType', 'msExchCmdletExtensionFlags', 'msExchComponentStates',
      'msExchComputerLink', 'msExchCurrentServerRoles', 'msExchDatabaseCreated', 'msExchDatacenterActivationMode',
      'msExchDataPath', 'msExchEDBFile', 'msExchEDBOffline', 'msExchESEParamBaseName', 'msExchESEParamCircularLog',
      'msExchESEParamLogFilePath', 'msExchESEParamSystemPath', 'msExchExternalAuthenticationMethods',
      'msExchExternalHostName', 'msExchFileShareWitness', 'msExchFileShareWitnessDirectory', 'msExchHomePublicMDB',
      'msExchHomeRoutingGroup', 'msExchHostServerLink', 'msExchInstallPath', 'msExchInternalAuthenticationMethods',
      'msExchInternalHostName', 'msExchMasterServerOrAvailabilityGroup', 'msExchMDBAvailabilityGroupBL',
      'msExchMDBAvailabilityGroupIPv4Addresses', 'msExchMDBAvailabilityGroupLink', 'msExchMDBAvailabilityGroupName',
      'msExchMetabasePath', 'msExchOwningServer', 'msExchPatchMDB', 'msExchPOPIMAPExternalConnectionSettings',
      'msExchPOPIMAPInternalConnectionSettings', 'msExchPopImapX509CertificateName', 'msExchProductID', 'msExchRecovery',
      'msExchReplayLag', 'msExchResponsibleMTAServer', 'msExchRestore', 'msExchRoutingMasterDN', 'msExchSecureBindings',
      'msExchServerBindings', 'msExchServerInternalTLSCert', 'msExchServerRedundantMachines', 'msExchServerRole',
      'msExchServerSite', 'msExchSLVFile', 'msExchSmtpReceiveBindings', 'msExchSMTPReceiveConnectorFQDN',
      'msExchSmtpReceiveEnabled', 'msExchSMTPReceiveInboundSecurityFlag', 'msExchSmtpReceiveMaxMessageSize',
      'msExchSmtpReceiveRemoteIPRanges', 'msExchSmtpReceiveRole', 'msExchSMTPSendConnectorFQDN', 'msExchSmtpSendEnabled',
      'msExchSmtpSendPort', 'msExchSmtpSmartHost', 'msExchSmtpTLSCertificate', 'msExchSourceBridgeheadServersDN',
      'msExchTargetBridgeheadServersDN', 'msExchTransportConnectivityLogPath', 'msExchTransportMessageTrackingPath',
      'msExchTransportPickupDirectoryPath', 'msExchTransportPipelineTracingPath', 'msExchTransportReceiveProtocolLogPath',
      'msExchTransportReplayDirectoryPath', 'msExchTransportRoutingLogPath', 'msExchTransportSendProtocolLogPath',
      'msExchTruncationLag', 'msExchVersion', 'networkAddress', 'objectVersion', 'otherWellKnownObjects', 'routingList',
      'serialNumber', 'serverRole', 'serviceBindingInformation', 'serviceClassName', 'serviceDNSName', 'versionNumber'
    ],
    binary: ['msExchServerInternalTLSCert', 'objectGUID'],
    ranged: ['homeMDBBL'],
  },
  receiveConnectorAcls: {
    attributes: ['nTSecurityDescriptor'],
    binary: ['nTSecurityDescriptor', 'objectGUID'],
    ranged: [],
  },
  schemaVersion: {
    attributes: ['rangeUpper'],
    binary: ['objectGUID'],
    ranged: [],
  },
  partitions: {
    attributes: ['dnsRoot', 'msDS-Behavior-Version', 'nCName', 'nETBIOSName', 'systemFlags'],
    binary: ['objectGUID'],
    ranged: [],
  },
  sites: {
    attributes: [
      'dNSHostName', 'hasMasterNCs', 'invocationId', 'msDS-HasDomainNCs', 'msDS-hasMasterNCs', 'options', 'serverReference'
    ],
    binary: ['invocationId', 'objectGUID'],
    ranged: [],
  },
  domain: {
    attributes: [
      'dNSHostName', 'msDS-Behavior-Version', 'objectSid', 'objectVersion', 'operatingSystem', 'operatingSystemServicePack',
      'operatingSystemVersion', 'primaryGroupID', 'sAMAccountName', 'userAccountControl'
    ],
    binary: ['objectGUID', 'objectSid'],
    ranged: [],
  },
  otherDomain: {
    attributes: [
      'dNSHostName', 'objectVersion', 'operatingSystem', 'operatingSystemServicePack', 'operatingSystemVersion',
      'primaryGroupID', 'sAMAccountName', 'userAccountControl'
    ],
    binary: ['objectGUID'],
    ranged: [],
  },
  dnsDomainZones: {
    attributes: ['dc', 'dnsRecord', 'dNSTombstoned'],
    binary: ['dnsRecord', 'objectGUID'],
    ranged: [],
  },
  dnsForestZones: {
    attributes: ['dc', 'dnsRecord', 'dNSTombstoned'],
    binary: ['dnsRecord', 'objectGUID'],
    ranged: [],
  },
  dnsLegacyZones: {
    attributes: ['dc', 'dnsRecord', 'dNSTombstoned'],
    binary: ['dnsRecord', 'objectGUID'],
    ranged: [],
  },
  schema: {
    attributes: ['attributeID', 'lDAPDisplayName', 'msDS-IntId', 'prefixMap'],
    binary: ['objectGUID', 'prefixMap'],
    ranged: [],
  },
};

const sorted = (xs: readonly string[]) => [...xs].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));

describe('what each search asks for', () => {
  it('the same eleven searches', () => {
    expect(Object.keys(SEARCHES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s: the same attributes, binary and ranged ones', (id) => {
    const a = attributesOf(id as SearchId);
    const want = EXPECTED[id]!;
    expect(sorted(a.attributes)).toEqual(sorted([...COMMON, ...want.attributes]));
    expect(sorted(a.binaryAttributes)).toEqual(sorted(want.binary));
    expect(sorted(a.rangedAttributes)).toEqual(sorted(want.ranged));
  });

  it('replPropertyMetaData only on the Exchange search, and only when asked for', () => {
    for (const id of Object.keys(SEARCHES) as SearchId[]) {
      const extra = attributesOf(id, true).attributes.filter((x) => !attributesOf(id).attributes.includes(x));
      expect(extra, id).toEqual(id === 'exchange' ? ['replPropertyMetaData'] : []);
    }
    expect(attributesOf('exchange', true).binaryAttributes).toContain('replPropertyMetaData');
  });
});
