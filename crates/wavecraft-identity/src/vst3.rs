//! A plugin's VST3 class id, derived from its plugin id: the one rule `export!` compiles
//! into the factory and `wavecraft bundle` writes into `moduleinfo.json`, so the two can
//! never disagree and a plugin keeps its class id across builds (hosts save sessions by it).
//!
//! The id is a UUID version 5 (SHA-1, RFC 9562) of the plugin id under a namespace fixed
//! here once: changing the namespace or the rule would orphan every saved session, which
//! is why a test pins a known value.

use uuid::Uuid;

/// Wavecraft's namespace for VST3 class ids (chosen once at random; never change it).
const NAMESPACE: Uuid = Uuid::from_u128(0x4e5a2618_e914_4e6a_8cba_8e5239dc7a4f);

/// The VST3 class id of the plugin with `plugin_id`, as 16 bytes in the order the VST3 SDK
/// holds a `TUID` off Windows (`COM_COMPATIBLE=0`): the four 32-bit words of
/// `INLINE_UID(l1, l2, l3, l4)`, each big-endian. On Windows the SDK reorders the first
/// eight bytes into a COM GUID; [`vst3_class_id_words`] gives the words for that.
pub fn vst3_class_id(plugin_id: &str) -> [u8; 16] {
    *Uuid::new_v5(&NAMESPACE, plugin_id.as_bytes()).as_bytes()
}

/// The class id as the four 32-bit words the SDK's `INLINE_UID`/`DECLARE_UID` (and the
/// `vst3` crate's `uid`) take, so a caller can build the platform's `TUID` from them.
pub fn vst3_class_id_words(plugin_id: &str) -> [u32; 4] {
    let b = vst3_class_id(plugin_id);
    std::array::from_fn(|i| {
        u32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
    })
}

/// The class id's string form as `moduleinfo.json` carries it (the SDK's `UID::toString`
/// off Windows): 32 uppercase hex digits, the 16 bytes in order, no dashes.
pub fn vst3_class_id_string(plugin_id: &str) -> String {
    vst3_class_id(plugin_id)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_id_is_pinned() {
        // The example plugin's id; the value was computed independently (Python's
        // uuid.uuid5). A change here orphans every saved session: it must be deliberate.
        assert_eq!(
            vst3_class_id_string("dev.wavecraft.example"),
            "76E38AC368F35125A5FD46C8133A21DE"
        );
    }

    #[test]
    fn words_and_string_are_the_same_bytes() {
        let id = "com.acme.my-gain";
        let words: String = vst3_class_id_words(id)
            .iter()
            .map(|w| format!("{w:08X}"))
            .collect();
        assert_eq!(words, vst3_class_id_string(id));
        assert_eq!(vst3_class_id_string(id).len(), 32);
    }

    #[test]
    fn distinct_ids_get_distinct_class_ids() {
        assert_ne!(vst3_class_id("com.acme.a"), vst3_class_id("com.acme.b"));
        assert_eq!(vst3_class_id("com.acme.a"), vst3_class_id("com.acme.a"));
    }
}
