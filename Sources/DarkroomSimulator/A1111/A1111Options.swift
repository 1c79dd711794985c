import DarkroomWire

/// The simulated WebUI's settings (`GET /sdapi/v1/options`): the keys clients read, with A1111's defaults.
enum A1111Options {
    static func initial(models: A1111Models) -> JSONObject {
        [
            "sd_model_checkpoint": .string(models.checkpoint.title),
            "sd_checkpoint_hash": .string(models.checkpoint.sha256),
            "sd_vae": "Automatic",
            "forge_additional_modules": .strings(models.modules.map(\.path)),
            "CLIP_stop_at_last_layers": 1,
            "samples_save": true,
            "samples_format": "png",
            "save_images_add_number": true,
            "grid_save": true,
            "return_grid": true,
            "enable_pnginfo": true,
            "add_model_hash_to_info": true,
            "add_model_name_to_info": true,
            "add_version_to_infotext": true,
            "live_previews_enable": true,
            "show_progress_every_n_steps": 10,
            "show_progress_type": "Approx NN",
            "lora_not_found_warning_console": false,
            "lora_not_found_gradio_warning": false,
            "sd_checkpoints_limit": 1,
            "outdir_samples": "",
            "outdir_txt2img_samples": "outputs/txt2img-images",
        ]
    }
}
