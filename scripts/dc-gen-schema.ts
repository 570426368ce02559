/**
 * Generates fixtures/schema/*.ldif: the slice of the Exchange schema that the
 * harvester reads, for the throwaway Samba test DCs (test/dc/samba.ts).
 *
 * Run: npx tsx scripts/dc-gen-schema.ts   (output is committed; rerun after editing the tables)
 *
 * Real attributeIDs/governsIDs are used where a public source gives them
 * (Exchange 2000/2003-era schema, see /work/shared/reference §2, §3.2). Everything
 * else lives under the private arc 1.3.6.1.4.1.55555.7000 and is a STAND-IN: the
 * harvester depends on lDAPDisplayNames only, never on OIDs.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'fixtures', 'schema');
const EXCH_ATTR = '1.2.840.113556.1.4.7000.102.'; // Exchange attribute arc (real)
const EXCH_CLASS = '1.2.840.113556.1.5.7000.62.'; // Exchange class arc (real)
const STANDIN_ATTR = '1.3.6.1.4.1.55555.7000.1.'; // private arc: stand-ins
const STANDIN_CLASS = '1.3.6.1.4.1.55555.7000.2.';

type Syntax = 'dn' | 'unicode' | 'caseIgnore' | 'int' | 'bool' | 'octet' | 'large';
const SYNTAX: Record<Syntax, { attributeSyntax: string; oMSyntax: number; oMObjectClass?: string }> = {
  dn: { attributeSyntax: '2.5.5.1', oMSyntax: 127, oMObjectClass: 'KwwCh3McAIVK' }, // 1.3.12.2.1011.28.0.714
  unicode: { attributeSyntax: '2.5.5.12', oMSyntax: 64 },
  caseIgnore: { attributeSyntax: '2.5.5.4', oMSyntax: 20 },
  int: { attributeSyntax: '2.5.5.9', oMSyntax: 2 },
  bool: { attributeSyntax: '2.5.5.8', oMSyntax: 1 },
  octet: { attributeSyntax: '2.5.5.10', oMSyntax: 4 },
  large: { attributeSyntax: '2.5.5.16', oMSyntax: 65 },
};

interface Attr {
  name: string; // lDAPDisplayName
  cn: string;
  oid: string;
  syntax: Syntax;
  single: boolean;
  linkID?: number;
  /** V = verified public value, L = single secondary source, S = stand-in */
  conf: 'V' | 'L' | 'S';
}

let nextAttr = 1;
const s = (): string => STANDIN_ATTR + String(nextAttr++);
const a = (name: string, cn: string, oid: string, syntax: Syntax, single: boolean, conf: Attr['conf'], linkID?: number): Attr =>
  ({ name, cn, oid, syntax, single, conf, ...(linkID === undefined ? {} : { linkID }) });

// Order matters only for readability; stand-in OIDs are assigned in this order, so append new ones at the end.
export const ATTRIBUTES: Attr[] = [
  // ---- 2000/2003-era, real OIDs ([OC], spot-checked against the Exchange SDKs) ----
  a('msExchInstallPath', 'ms-Exch-Install-Path', EXCH_ATTR + '50019', 'unicode', true, 'V'),
  a('msExchDataPath', 'ms-Exch-Data-Path', EXCH_ATTR + '50052', 'unicode', true, 'V'),
  a('msExchServerRole', 'ms-Exch-Server-Role', EXCH_ATTR + '15006', 'int', true, 'V'),
  a('msExchComputerLink', 'ms-Exch-Computer-Link', EXCH_ATTR + '72', 'dn', true, 'V', 1018),
  a('msExchExchangeServerLink', 'ms-Exch-Exchange-Server-Link', EXCH_ATTR + '71', 'dn', false, 'V', 1019),
  a('msExchHomeRoutingGroup', 'ms-Exch-Home-Routing-Group', EXCH_ATTR + '12539', 'dn', true, 'V', 1050),
  a('msExchESEParamLogFilePath', 'ms-Exch-ESE-Param-Log-File-Path', EXCH_ATTR + '11011', 'caseIgnore', true, 'V'),
  a('msExchESEParamSystemPath', 'ms-Exch-ESE-Param-System-Path', EXCH_ATTR + '11022', 'caseIgnore', true, 'V'),
  a('msExchESEParamBaseName', 'ms-Exch-ESE-Param-Base-Name', EXCH_ATTR + '11076', 'caseIgnore', true, 'V'),
  a('msExchESEParamCircularLog', 'ms-Exch-ESE-Param-Circular-Log', EXCH_ATTR + '11005', 'int', true, 'V'),
  a('msExchRecovery', 'ms-Exch-Recovery', EXCH_ATTR + '11046', 'bool', true, 'V'),
  a('msExchRestore', 'ms-Exch-Restore', EXCH_ATTR + '11092', 'bool', true, 'V'),
  a('msExchEDBFile', 'ms-Exch-EDB-File', EXCH_ATTR + '11001', 'caseIgnore', true, 'V'),
  a('msExchSLVFile', 'ms-Exch-SLV-File', EXCH_ATTR + '11036', 'caseIgnore', true, 'V'),
  a('msExchEDBOffline', 'ms-Exch-EDB-Offline', EXCH_ATTR + '11007', 'bool', true, 'V'),
  a('msExchDatabaseCreated', 'ms-Exch-Database-Created', EXCH_ATTR + '11084', 'bool', true, 'V'),
  a('msExchPatchMDB', 'ms-Exch-Patch-MDB', EXCH_ATTR + '11086', 'bool', true, 'V'),
  a('msExchOwningServer', 'ms-Exch-Owning-Server', EXCH_ATTR + '11004', 'dn', true, 'V'),
  a('msExchHomePublicMDB', 'ms-Exch-Home-Public-MDB', EXCH_ATTR + '11044', 'dn', true, 'V'),
  a('homeMDB', 'ms-Exch-Home-MDB', '1.2.840.113556.1.2.244', 'dn', true, 'V', 32),
  a('homeMDBBL', 'ms-Exch-Home-MDB-BL', '1.2.840.113556.1.2.393', 'dn', false, 'V', 33),
  a('msExchHomeServerName', 'ms-Exch-Home-Server-Name', EXCH_ATTR + '47', 'unicode', true, 'V'),
  a('msExchMailboxGuid', 'ms-Exch-Mailbox-Guid', EXCH_ATTR + '11058', 'octet', true, 'V'),
  a('msExchRoutingMasterDN', 'ms-Exch-Routing-Master-DN', EXCH_ATTR + '12505', 'dn', true, 'V'),
  a('msExchSmtpSmartHost', 'ms-Exch-Smtp-Smart-Host', EXCH_ATTR + '5024', 'unicode', true, 'V'),
  a('routingList', 'ms-Exch-Routing-List', '1.2.840.113556.1.2.354', 'caseIgnore', false, 'V'),
  a('msExchSourceBridgeheadServersDN', 'ms-Exch-Source-Bridgehead-Servers-DN', EXCH_ATTR + '12511', 'dn', false, 'V', 1002),
  a('deliveryMechanism', 'ms-Exch-Delivery-Mechanism', '1.2.840.113556.1.2.241', 'int', true, 'V'),
  a('messageTrackingEnabled', 'ms-Exch-Message-Tracking-Enabled', '1.2.840.113556.1.2.453', 'bool', true, 'V'),
  // ---- 2007+: one secondary source ([LG] dump of a real 2016/2019 forest) ----
  a('msExchVersion', 'ms-Exch-Version', EXCH_ATTR + '50853', 'large', true, 'L'),
  a('msExchServerSiteBL', 'ms-Exch-Server-Site-BL', EXCH_ATTR + '51469', 'dn', false, 'L', 2_100_000_001),
  a('msExchRecipientTypeDetails', 'ms-Exch-Recipient-Type-Details', EXCH_ATTR + '50855', 'large', true, 'L'),
  // ---- stand-ins (private arc): names and value types from decompiled Exchange 2013, OIDs invented ----
  a('msExchServerSite', 'ms-Exch-Server-Site', s(), 'dn', true, 'S', 2_100_000_000),
  a('msExchCurrentServerRoles', 'ms-Exch-Current-Server-Roles', s(), 'int', true, 'S'),
  a('msExchProductID', 'ms-Exch-Product-ID', s(), 'unicode', true, 'S'),
  a('msExchMDBAvailabilityGroupLink', 'ms-Exch-MDB-Availability-Group-Link', s(), 'dn', true, 'S', 2_100_000_002),
  a('msExchMDBAvailabilityGroupBL', 'ms-Exch-MDB-Availability-Group-BL', s(), 'dn', false, 'S', 2_100_000_003),
  a('msExchServerInternalTLSCert', 'ms-Exch-Server-Internal-TLS-Cert', s(), 'octet', true, 'S'),
  a('msExchTransportMessageTrackingPath', 'ms-Exch-Transport-Message-Tracking-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportReceiveProtocolLogPath', 'ms-Exch-Transport-Receive-Protocol-Log-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportSendProtocolLogPath', 'ms-Exch-Transport-Send-Protocol-Log-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportConnectivityLogPath', 'ms-Exch-Transport-Connectivity-Log-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportPickupDirectoryPath', 'ms-Exch-Transport-Pickup-Directory-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportReplayDirectoryPath', 'ms-Exch-Transport-Replay-Directory-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportPipelineTracingPath', 'ms-Exch-Transport-Pipeline-Tracing-Path', s(), 'unicode', true, 'S'),
  a('msExchTransportRoutingLogPath', 'ms-Exch-Transport-Routing-Log-Path', s(), 'unicode', true, 'S'),
  a('msExchMasterServerOrAvailabilityGroup', 'ms-Exch-Master-Server-Or-Availability-Group', s(), 'dn', true, 'S'),
  a('msExchHostServerLink', 'ms-Exch-Host-Server-Link', s(), 'dn', true, 'S'),
  a('msExchActivationPreference', 'ms-Exch-Activation-Preference', s(), 'int', true, 'S'),
  a('msExchReplayLag', 'ms-Exch-Replay-Lag', s(), 'unicode', true, 'S'),
  a('msExchTruncationLag', 'ms-Exch-Truncation-Lag', s(), 'unicode', true, 'S'),
  a('msExchFileShareWitness', 'ms-Exch-File-Share-Witness', s(), 'unicode', true, 'S'),
  a('msExchFileShareWitnessDirectory', 'ms-Exch-File-Share-Witness-Directory', s(), 'unicode', true, 'S'),
  a('msExchAlternateFileShareWitness', 'ms-Exch-Alternate-File-Share-Witness', s(), 'unicode', true, 'S'),
  a('msExchAlternateFileShareWitnessDirectory', 'ms-Exch-Alternate-File-Share-Witness-Directory', s(), 'unicode', true, 'S'),
  a('msExchMDBAvailabilityGroupIPv4Addresses', 'ms-Exch-MDB-Availability-Group-IPv4-Addresses', s(), 'unicode', false, 'S'),
  a('msExchDatacenterActivationMode', 'ms-Exch-Datacenter-Activation-Mode', s(), 'int', true, 'S'),
  a('msExchMDBAvailabilityGroupName', 'ms-Exch-MDB-Availability-Group-Name', s(), 'unicode', true, 'S'),
  a('msExchInternalHostName', 'ms-Exch-Internal-Host-Name', s(), 'unicode', true, 'S'),
  a('msExchExternalHostName', 'ms-Exch-External-Host-Name', s(), 'unicode', true, 'S'),
  a('msExchInternalAuthenticationMethods', 'ms-Exch-Internal-Authentication-Methods', s(), 'int', true, 'S'),
  a('msExchExternalAuthenticationMethods', 'ms-Exch-External-Authentication-Methods', s(), 'int', true, 'S'),
  a('msExchMetabasePath', 'ms-Exch-Metabase-Path', s(), 'unicode', true, 'S'),
  a('msExchSmtpReceiveBindings', 'ms-Exch-Smtp-Receive-Bindings', s(), 'unicode', false, 'S'),
  a('msExchSmtpReceiveRemoteIPRanges', 'ms-Exch-Smtp-Receive-Remote-IP-Ranges', s(), 'unicode', false, 'S'),
  a('msExchSMTPReceiveConnectorFQDN', 'ms-Exch-SMTP-Receive-Connector-FQDN', s(), 'unicode', true, 'S'),
  a('msExchSmtpReceiveEnabled', 'ms-Exch-Smtp-Receive-Enabled', s(), 'bool', true, 'S'),
  a('msExchSmtpReceiveMaxMessageSize', 'ms-Exch-Smtp-Receive-Max-Message-Size', s(), 'int', true, 'S'),
  a('msExchSMTPReceiveInboundSecurityFlag', 'ms-Exch-SMTP-Receive-Inbound-Security-Flag', s(), 'int', true, 'S'),
  a('msExchSmtpSendPort', 'ms-Exch-Smtp-Send-Port', s(), 'int', true, 'S'),
  a('msExchSMTPSendConnectorFQDN', 'ms-Exch-SMTP-Send-Connector-FQDN', s(), 'unicode', true, 'S'),
  a('msExchSmtpSendEnabled', 'ms-Exch-Smtp-Send-Enabled', s(), 'bool', true, 'S'),
  a('msExchTargetBridgeheadServersDN', 'ms-Exch-Target-Bridgehead-Servers-DN', s(), 'dn', false, 'S'),
  a('msExchAcceptedDomainName', 'ms-Exch-Accepted-Domain-Name', s(), 'unicode', true, 'S'),
  a('msExchAcceptedDomainFlags', 'ms-Exch-Accepted-Domain-Flags', s(), 'int', true, 'S'),
  a('msExchComponentStates', 'ms-Exch-Component-States', s(), 'unicode', false, 'S'),
  // the forest's Exchange schema level lives in this attribute's rangeUpper; fixtures/orgs set the value
  a('msExchSchemaVersionPt', 'ms-Exch-Schema-Version-Pt', s(), 'int', true, 'S'),
  a('msExchSmtpReceiveRole', 'ms-Exch-Smtp-Receive-Role', s(), 'int', true, 'S'),
  // recovery plans: 2007 clustered mailbox servers, connector certificates, cmdlet extension agents
  a('msExchClusterStorageType', 'ms-Exch-Cluster-Storage-Type', s(), 'int', true, 'S'),
  a('msExchServerRedundantMachines', 'ms-Exch-Server-Redundant-Machines', s(), 'unicode', false, 'S'),
  a('msExchSmtpTLSCertificate', 'ms-Exch-Smtp-TLS-Certificate', s(), 'unicode', true, 'S'),
  a('msExchCmdletExtensionFlags', 'ms-Exch-Cmdlet-Extension-Flags', s(), 'int', true, 'S'),
  // Auth Configuration (2013+): multi-valued, each value tagged 0: current, 1: previous, 2: next (Exchange's AuthConfigSchema)
  a('msExchAuthCertificateThumbprint', 'ms-Exch-Auth-Certificate-Thumbprint', s(), 'unicode', false, 'S'),
  // POP3 / IMAP4 settings (2007+), names and multiplicity as Exchange's PopImapAdConfigurationSchema has them
  a('msExchPopImapX509CertificateName', 'ms-Exch-Pop-Imap-X509-Certificate-Name', s(), 'unicode', true, 'S'),
  a('msExchServerBindings', 'ms-Exch-Server-Bindings', s(), 'unicode', false, 'S'),
  a('msExchSecureBindings', 'ms-Exch-Secure-Bindings', s(), 'unicode', false, 'S'),
  a('msExchPOPIMAPInternalConnectionSettings', 'ms-Exch-POP-IMAP-Internal-Connection-Settings', s(), 'unicode', false, 'S'),
  a('msExchPOPIMAPExternalConnectionSettings', 'ms-Exch-POP-IMAP-External-Connection-Settings', s(), 'unicode', false, 'S'),
];

interface Cls {
  name: string;
  cn: string;
  oid: string;
  sup: string;
  category: 1 | 2 | 3;
  possSuperiors: string[];
  mayContain: string[];
  conf: 'V' | 'S';
}
let nextClass = 1;
const sc = (): string => STANDIN_CLASS + String(nextClass++);
const c = (name: string, cn: string, oid: string, sup: string, possSuperiors: string[], mayContain: string[], conf: Cls['conf'], category: Cls['category'] = 1): Cls =>
  ({ name, cn, oid, sup, category, possSuperiors, mayContain, conf });

const SERVER_MAY = [
  'versionNumber', 'serverRole', 'msExchServerRole', 'msExchCurrentServerRoles', 'msExchInstallPath', 'msExchDataPath',
  'msExchServerSite', 'networkAddress', 'msExchHomeRoutingGroup', 'msExchMDBAvailabilityGroupLink', 'msExchServerInternalTLSCert',
  'msExchVersion', 'msExchProductID', 'legacyExchangeDN', 'msExchComputerLink', 'messageTrackingEnabled', 'msExchComponentStates',
  'msExchTransportMessageTrackingPath', 'msExchTransportReceiveProtocolLogPath', 'msExchTransportSendProtocolLogPath',
  'msExchTransportConnectivityLogPath', 'msExchTransportPickupDirectoryPath', 'msExchTransportReplayDirectoryPath',
  'msExchTransportPipelineTracingPath', 'msExchTransportRoutingLogPath', 'adminDisplayName',
  'msExchClusterStorageType', 'msExchServerRedundantMachines',
];
const ESE = ['msExchESEParamLogFilePath', 'msExchESEParamSystemPath', 'msExchESEParamBaseName', 'msExchESEParamCircularLog'];
const COMMON = ['msExchVersion', 'legacyExchangeDN', 'adminDisplayName'];

export const CLASSES: Cls[] = [
  // ---- real governsIDs ([OC]) ----
  c('msExchOrganizationContainer', 'ms-Exch-Organization-Container', EXCH_CLASS + '50020', 'container', ['msExchConfigurationContainer'], ['objectVersion', 'msExchProductID', ...COMMON], 'V'),
  c('msExchAdminGroupContainer', 'ms-Exch-Admin-Group-Container', EXCH_CLASS + '50019', 'container', ['msExchOrganizationContainer'], COMMON, 'V'),
  c('msExchAdminGroup', 'ms-Exch-Admin-Group', EXCH_CLASS + '50011', 'top', ['msExchAdminGroupContainer'], COMMON, 'V'),
  c('msExchServersContainer', 'ms-Exch-Servers-Container', EXCH_CLASS + '50013', 'container', ['msExchAdminGroup'], COMMON, 'V'),
  c('msExchExchangeServer', 'ms-Exch-Exchange-Server', EXCH_CLASS + '50009', 'server', ['msExchServersContainer'], SERVER_MAY, 'V'),
  c('msExchInformationStore', 'ms-Exch-Information-Store', EXCH_CLASS + '11001', 'container', ['msExchExchangeServer'], COMMON, 'V'),
  c('msExchStorageGroup', 'ms-Exch-Storage-Group', EXCH_CLASS + '11006', 'container', ['msExchInformationStore', 'computer'], [...ESE, 'msExchRestore', 'msExchRecovery', ...COMMON], 'V'),
  c('msExchMDB', 'ms-Exch-MDB', EXCH_CLASS + '11002', 'top', ['msExchExchangeServer', 'container', 'computer', 'msExchStorageGroup'],
    ['msExchEDBFile', 'msExchSLVFile', 'msExchEDBOffline', 'msExchOwningServer', 'msExchPatchMDB', 'msExchDatabaseCreated', 'msExchRestore',
      'homeMDBBL', 'deliveryMechanism', 'msExchMasterServerOrAvailabilityGroup', ...ESE, ...COMMON], 'V'),
  c('msExchPrivateMDB', 'ms-Exch-Private-MDB', EXCH_CLASS + '11004', 'msExchMDB', ['container', 'computer'], ['msExchHomePublicMDB'], 'V'),
  c('msExchPublicMDB', 'ms-Exch-Public-MDB', EXCH_CLASS + '11005', 'msExchMDB', ['container', 'computer'], [], 'V'),
  c('msExchRoutingGroupContainer', 'ms-Exch-Routing-Group-Container', EXCH_CLASS + '12001', 'container', ['msExchAdminGroup'], COMMON, 'V'),
  c('msExchRoutingGroup', 'ms-Exch-Routing-Group', EXCH_CLASS + '12002', 'container', ['msExchRoutingGroupContainer'], ['msExchRoutingMasterDN', ...COMMON], 'V'),
  c('msExchConnectors', 'ms-Exch-Connectors', EXCH_CLASS + '12003', 'container', ['msExchRoutingGroup'], COMMON, 'V'),
  c('msExchProtocolCfgHTTPContainer', 'ms-Exch-Protocol-Cfg-HTTP-Container', EXCH_CLASS + '14001', 'container', ['container'], COMMON, 'V'),
  // ---- stand-in governsIDs (private arc) ----
  c('mailGateway', 'ms-Exch-Mail-Gateway', sc(), 'top', ['container'], ['routingList', 'deliveryMechanism', 'msExchSourceBridgeheadServersDN', ...COMMON], 'S'),
  c('msExchConnector', 'ms-Exch-Connector', sc(), 'top', ['container', 'msExchConnectors'], ['cost', 'msExchSourceBridgeheadServersDN', 'msExchTargetBridgeheadServersDN', 'routingList', ...COMMON], 'S'),
  c('msExchMDBContainer', 'ms-Exch-MDB-Container', sc(), 'container', ['msExchAdminGroup'], COMMON, 'S'),
  c('msExchMDBCopy', 'ms-Exch-MDB-Copy', sc(), 'top', ['msExchMDB', 'msExchPrivateMDB', 'msExchPublicMDB'],
    ['msExchHostServerLink', 'msExchActivationPreference', 'msExchReplayLag', 'msExchTruncationLag', ...COMMON], 'S'),
  c('msExchMDBAvailabilityGroupContainer', 'ms-Exch-MDB-Availability-Group-Container', sc(), 'container', ['msExchAdminGroup'], COMMON, 'S'),
  c('msExchMDBAvailabilityGroup', 'ms-Exch-MDB-Availability-Group', sc(), 'top', ['msExchMDBAvailabilityGroupContainer'],
    ['msExchFileShareWitness', 'msExchFileShareWitnessDirectory', 'msExchAlternateFileShareWitness', 'msExchAlternateFileShareWitnessDirectory',
      'msExchMDBAvailabilityGroupIPv4Addresses', 'msExchDatacenterActivationMode', 'msExchMDBAvailabilityGroupBL', 'msExchMDBAvailabilityGroupName', ...COMMON], 'S'),
  c('protocolCfgSharedServer', 'ms-Exch-Protocol-Cfg-Shared-Server', sc(), 'container', ['msExchExchangeServer'], COMMON, 'S'),
  c('msExchVirtualDirectory', 'ms-Exch-Virtual-Directory', sc(), 'top', ['msExchProtocolCfgHTTPContainer', 'container'],
    ['msExchInternalHostName', 'msExchExternalHostName', 'msExchInternalAuthenticationMethods', 'msExchExternalAuthenticationMethods', 'msExchMetabasePath', ...COMMON], 'S'),
  ...['OWA', 'Ecp', 'WebServices', 'Mobile', 'OAB', 'Mapi', 'PowerShell', 'Autodiscover', 'RpcHttp'].map((k) =>
    c(`msExch${k}VirtualDirectory`, `ms-Exch-${k}-Virtual-Directory`, sc(), 'msExchVirtualDirectory', ['msExchProtocolCfgHTTPContainer', 'container'], [], 'S')),
  c('msExchSmtpReceiveConnector', 'ms-Exch-Smtp-Receive-Connector', sc(), 'top', ['container', 'protocolCfgSharedServer'],
    ['msExchSmtpReceiveBindings', 'msExchSmtpReceiveRemoteIPRanges', 'msExchSMTPReceiveConnectorFQDN', 'msExchSmtpReceiveEnabled',
      'msExchSmtpReceiveMaxMessageSize', 'msExchSMTPReceiveInboundSecurityFlag', 'msExchSmtpReceiveRole', 'msExchSmtpTLSCertificate', ...COMMON], 'S'),
  c('msExchTransportSettings', 'ms-Exch-Transport-Settings', sc(), 'container', ['msExchOrganizationContainer'], COMMON, 'S'),
  c('msExchAcceptedDomain', 'ms-Exch-Accepted-Domain', sc(), 'top', ['container'], ['msExchAcceptedDomainName', 'msExchAcceptedDomainFlags', ...COMMON], 'S'),
  c('msExchExchangeTransportCfgContainer', 'ms-Exch-Exchange-Transport-Cfg-Container', sc(), 'container', ['msExchExchangeServer'], COMMON, 'S'),
  c('msExchExchangeTransportServer', 'ms-Exch-Exchange-Transport-Server', sc(), 'msExchExchangeServer', ['msExchExchangeTransportCfgContainer', 'container'], [], 'S'),
  c('msExchSystemObjectsContainer', 'ms-Exch-System-Objects-Container', sc(), 'container', ['domainDNS'], ['objectVersion', ...COMMON], 'S'),
  c('msExchCmdletExtensionAgent', 'ms-Exch-Cmdlet-Extension-Agent', sc(), 'top', ['container'], ['msExchCmdletExtensionFlags', ...COMMON], 'S'),
  c('msExchAuthAuthConfig', 'ms-Exch-Auth-Auth-Config', sc(), 'top', ['msExchOrganizationContainer', 'container'], ['msExchAuthCertificateThumbprint', ...COMMON], 'S'),
  // a class the harvester does not read: fixtures put one under a server to test the "unexpected object" warning
  c('msExchMonitoringSettings', 'ms-Exch-Monitoring-Settings', sc(), 'top', ['msExchExchangeServer', 'container'], COMMON, 'S'),
  // CN=POP3 / CN=IMAP4 under a server's CN=Protocols (Exchange's Pop3AdConfiguration / Imap4AdConfiguration)
  ...(['POP', 'IMAP'] as const).map((p) => c(`protocolCfg${p}Server`, `Protocol-Cfg-${p}-Server`, sc(), 'top', ['protocolCfgSharedServer', 'container'],
    ['msExchPopImapX509CertificateName', 'msExchServerBindings', 'msExchSecureBindings', 'msExchPOPIMAPInternalConnectionSettings',
      'msExchPOPIMAPExternalConnectionSettings', ...COMMON], 'S')),
];
// second-level subclasses, need their parents defined first (file order)
CLASSES.push(
  c('msExchRoutingSMTPConnector', 'ms-Exch-Routing-SMTP-Connector', EXCH_CLASS + '12008', 'mailGateway', ['msExchConnectors'],
    ['msExchSmtpSmartHost', 'msExchSmtpSendPort', 'msExchSMTPSendConnectorFQDN', 'msExchSmtpSendEnabled', 'msExchSourceBridgeheadServersDN', 'msExchSmtpTLSCertificate'], 'V'),
  c('msExchRoutingGroupConnector', 'ms-Exch-Routing-Group-Connector', EXCH_CLASS + '12007', 'msExchConnector', ['msExchConnectors'], [], 'V'),
);

/** Attributes Exchange adds to base-schema classes (real Exchange does the same with modify LDIFs). */
export const BASE_CLASS_ADDITIONS: Record<string, string[]> = {
  server: ['networkAddress'],
  user: ['homeMDB', 'msExchHomeServerName', 'msExchMailboxGuid', 'msExchRecipientTypeDetails', 'msExchVersion', 'legacyExchangeDN'],
  computer: ['msExchExchangeServerLink'],
  site: ['msExchServerSiteBL'],
};

const HEADER = `# Generated by scripts/dc-gen-schema.ts — do not edit by hand.
# Exchange schema slice for the exbinder test DCs (Samba AD). See fixtures/schema/README.md.
# OIDs under 1.3.6.1.4.1.55555.7000 are STAND-INS invented for these tests (the real
# Exchange 2007+ OIDs were not available); exbinder depends on lDAPDisplayNames only.
# \${SCHEMADN} is replaced by the loader. 20-classes.ldif is for ldbmodify (changetype records), one run per
# block between schema-reload markers.
`;

function attrLdif(x: Attr): string {
  const syn = SYNTAX[x.syntax];
  const lines = [
    `# ${x.conf === 'S' ? 'STAND-IN OID' : x.conf === 'L' ? 'OID from one secondary source' : 'real OID'}`,
    `dn: CN=${x.cn},\${SCHEMADN}`,
    'objectClass: top',
    'objectClass: attributeSchema',
    `cn: ${x.cn}`,
    `attributeID: ${x.oid}`,
    `attributeSyntax: ${syn.attributeSyntax}`,
    `oMSyntax: ${syn.oMSyntax}`,
    ...(syn.oMObjectClass ? [`oMObjectClass:: ${syn.oMObjectClass}`] : []),
    `isSingleValued: ${x.single ? 'TRUE' : 'FALSE'}`,
    `lDAPDisplayName: ${x.name}`,
    `adminDisplayName: ${x.cn}`,
    ...(x.linkID === undefined ? [] : [`linkID: ${x.linkID}`]),
    'showInAdvancedViewOnly: TRUE',
    'searchFlags: 0',
  ];
  return lines.join('\n') + '\n';
}

const DEFAULT_SD = 'D:(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;DA)(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)';
/** MESO lives in the domain NC, outside CN=Microsoft Exchange: readable by Authenticated Users itself. */
const DOMAIN_NC_SD = `${DEFAULT_SD}(A;;RPLCLORC;;;AU)`;

function classLdif(x: Cls): string {
  const lines = [
    `# ${x.conf === 'S' ? 'STAND-IN OID' : 'real OID'}`,
    `dn: CN=${x.cn},\${SCHEMADN}`,
    'changetype: add',
    'objectClass: top',
    'objectClass: classSchema',
    `cn: ${x.cn}`,
    `governsID: ${x.oid}`,
    `lDAPDisplayName: ${x.name}`,
    `adminDisplayName: ${x.cn}`,
    `subClassOf: ${x.sup}`,
    `objectClassCategory: ${x.category}`,
    'rDNAttID: cn',
    ...x.possSuperiors.map((p) => `possSuperiors: ${p}`),
    ...[...new Set(x.mayContain)].map((m) => `mayContain: ${m}`),
    'showInAdvancedViewOnly: TRUE',
    'systemOnly: FALSE',
    // admins only; read access for Authenticated Users is inherited from CN=Microsoft Exchange (set by the
    // loader), so an inherited deny placed there can really hide the subtree from one account
    `defaultSecurityDescriptor: ${x.name === 'msExchSystemObjectsContainer' ? DOMAIN_NC_SD : DEFAULT_SD}`,
  ];
  return lines.join('\n') + '\n';
}

/**
 * Samba validates subClassOf/possSuperiors against the schema loaded when the
 * transaction began, so a class can only name classes added in an earlier run.
 * Classes are grouped by dependency depth; the loader runs one ldbmodify per group
 * (groups are separated by RELOAD_MARKER).
 */
export const RELOAD_MARKER = '# ---- schema reload ----';
function classLevels(): Cls[][] {
  const byName = new Map(CLASSES.map((x) => [x.name, x]));
  const level = new Map<string, number>();
  const depth = (x: Cls): number => {
    const known = level.get(x.name);
    if (known !== undefined) return known;
    const deps = [x.sup, ...x.possSuperiors].filter((d) => d !== x.name && byName.has(d));
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((n) => depth(byName.get(n)!)));
    level.set(x.name, d);
    return d;
  };
  const groups: Cls[][] = [];
  for (const x of CLASSES) (groups[depth(x)] ??= []).push(x);
  return groups;
}

function modifyLdif(): string {
  return Object.entries(BASE_CLASS_ADDITIONS)
    .map(([cls, attrs]) => `dn: CN=${baseClassCn(cls)},\${SCHEMADN}\nchangetype: modify\nadd: mayContain\n${attrs.map((x) => `mayContain: ${x}`).join('\n')}\n-\n`)
    .join('\n');
}

function baseClassCn(ldapName: string): string {
  const cns: Record<string, string> = { server: 'Server', user: 'User', computer: 'Computer', site: 'Site' };
  const cn = cns[ldapName];
  if (!cn) throw new Error(`no CN known for base class ${ldapName}`);
  return cn;
}

/** The schema files as this generator makes them (a test checks the committed ones match). */
export function generatedSchemaFiles(): { file: string; text: string }[] {
  return [
    { file: join(OUT, '10-attributes.ldif'), text: HEADER + '\n' + ATTRIBUTES.map(attrLdif).join('\n') },
    { file: join(OUT, '20-classes.ldif'), text: HEADER + '\n' + classLevels().map((g) => g.map(classLdif).join('\n')).join(`\n${RELOAD_MARKER}\n\n`) },
    { file: join(OUT, '30-base-classes.ldif'), text: HEADER + '\n' + modifyLdif() },
  ];
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  for (const { file, text } of generatedSchemaFiles()) writeFileSync(file, text);
  console.log(`wrote ${ATTRIBUTES.length} attributes, ${CLASSES.length} classes to ${OUT}`);
}
