/**
 * LDAP_SERVER_SD_FLAGS_OID (MS-ADTS 3.1.1.3.4.1.11). Without it AD (and
 * Samba) return nTSecurityDescriptor only to accounts that may read the SACL,
 * i.e. administrators; asking for OWNER|GROUP|DACL lets an ordinary reader
 * see the DACL, which is where receive connector permission groups live.
 */
import { BerWriter, Control } from 'ldapts';

export const SD_FLAGS_OID = '1.2.840.113556.1.4.801';
const OWNER_GROUP_DACL = 0x1 | 0x2 | 0x4;

export class SdFlagsControl extends Control {
  constructor(private readonly flags = OWNER_GROUP_DACL) {
    // not critical: a server that does not know it still answers the search
    super(SD_FLAGS_OID, { critical: false });
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(this.flags);
    value.endSequence();
    writer.writeBuffer(value.buffer, 0x04);
  }
}
