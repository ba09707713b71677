//! `Contents/Resources/moduleinfo.json`: what the plugin's factory says,
//! written at bundle time so a host can list the plugin without loading it
//! (VST 3 SDK 3.7.5+, in `Resources` since 3.7.8). The class id comes from
//! `wavecraft-identity`, the function the plugin's factory uses; category,
//! sub-categories, SDK version and flags are the values the factory reports
//! (`bundle_vst3` checks the file against a loaded factory).

use serde::Serialize;
use wavecraft_identity::{vst3_class_id_string, PluginIdentity};

/// `kVstAudioEffectClass`: the category of an audio processor class.
pub const AUDIO_EFFECT_CATEGORY: &str = "Audio Module Class";
/// The sub-categories of a Wavecraft effect (`PlugType::kFx`).
pub const SUB_CATEGORIES: [&str; 1] = ["Fx"];
/// The SDK version the `vst3` 0.3 bindings were generated from (`SDKVersionString`).
pub const SDK_VERSION: &str = "VST 3.8.0";
/// `PClassInfo::kManyInstances`.
const MANY_INSTANCES: i32 = 0x7FFF_FFFF;

#[derive(Serialize)]
struct ModuleInfo<'a> {
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Version")]
    version: &'a str,
    #[serde(rename = "Factory Info")]
    factory_info: FactoryInfo<'a>,
    #[serde(rename = "Compatibility")]
    compatibility: [(); 0],
    #[serde(rename = "Classes")]
    classes: [ClassInfo<'a>; 1],
}

#[derive(Serialize)]
struct FactoryInfo<'a> {
    #[serde(rename = "Vendor")]
    vendor: &'a str,
    #[serde(rename = "URL")]
    url: &'a str,
    #[serde(rename = "E-Mail")]
    email: &'a str,
    #[serde(rename = "Flags")]
    flags: FactoryFlags,
}

#[derive(Serialize)]
struct FactoryFlags {
    #[serde(rename = "Unicode")]
    unicode: bool,
    #[serde(rename = "Classes Discardable")]
    classes_discardable: bool,
    #[serde(rename = "Component Non Discardable")]
    component_non_discardable: bool,
}

#[derive(Serialize)]
struct ClassInfo<'a> {
    #[serde(rename = "CID")]
    cid: String,
    #[serde(rename = "Category")]
    category: &'a str,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Vendor")]
    vendor: &'a str,
    #[serde(rename = "Version")]
    version: &'a str,
    #[serde(rename = "SDKVersion")]
    sdk_version: &'a str,
    #[serde(rename = "Sub Categories")]
    sub_categories: [&'a str; 1],
    #[serde(rename = "Class Flags")]
    class_flags: u32,
    #[serde(rename = "Cardinality")]
    cardinality: i32,
    #[serde(rename = "Snapshots")]
    snapshots: [(); 0],
}

/// The moduleinfo.json of the bundle `<module_name>.vst3` holding `plugin` at `version`.
pub fn module_info(plugin: &PluginIdentity, module_name: &str, version: &str) -> String {
    let info = ModuleInfo {
        name: module_name,
        version,
        factory_info: FactoryInfo {
            vendor: &plugin.vendor,
            url: "",
            email: "",
            flags: FactoryFlags {
                unicode: true,
                classes_discardable: false,
                component_non_discardable: false,
            },
        },
        compatibility: [],
        classes: [ClassInfo {
            cid: vst3_class_id_string(&plugin.id),
            category: AUDIO_EFFECT_CATEGORY,
            name: &plugin.name,
            vendor: &plugin.vendor,
            version,
            sdk_version: SDK_VERSION,
            sub_categories: SUB_CATEGORIES,
            class_flags: 0,
            cardinality: MANY_INSTANCES,
            snapshots: [],
        }],
    };
    // Serialising plain strings, numbers and arrays cannot fail.
    serde_json::to_string_pretty(&info).expect("moduleinfo serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_info_has_the_sdks_fields_and_the_identity_class_id() {
        let plugin = PluginIdentity {
            name: "Wavecraft \"Example\"".into(),
            vendor: "Wavecraft".into(),
            id: "dev.wavecraft.example".into(),
        };
        let text = module_info(&plugin, "Wavecraft -Example-", "0.1.0");
        let info: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(info["Name"], "Wavecraft -Example-");
        assert_eq!(info["Version"], "0.1.0");
        assert_eq!(info["Factory Info"]["Vendor"], "Wavecraft");
        assert_eq!(info["Factory Info"]["Flags"]["Unicode"], true);
        assert_eq!(info["Compatibility"], serde_json::json!([]));
        let class = &info["Classes"][0];
        assert_eq!(class["CID"], "76E38AC368F35125A5FD46C8133A21DE");
        assert_eq!(class["CID"], vst3_class_id_string("dev.wavecraft.example"));
        assert_eq!(class["Category"], "Audio Module Class");
        assert_eq!(class["Name"], "Wavecraft \"Example\"");
        assert_eq!(class["Sub Categories"], serde_json::json!(["Fx"]));
        assert_eq!(class["Cardinality"], 2147483647);
        assert_eq!(class["SDKVersion"], "VST 3.8.0");
        assert_eq!(info["Classes"].as_array().unwrap().len(), 1);
    }
}
