//! Tutorial 5: weak references, or how a cache stops leaking.
//!
//! Python's lesson: a dict that caches objects keeps them alive forever; a
//! `WeakValueDictionary` lets them go when nobody else uses them; and an
//! observer list holding its observers strongly (while they hold the subject)
//! is a cycle that reference counting never frees. Each step below measures
//! the heap with leanmem's tracking allocator.
//!
//! ```text
//! cargo run --release --example 05_weak            # 20,000 images of 1 KiB
//! cargo run --release --example 05_weak -- 100000  # more
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use leanmem::measure::{self, TrackingAllocator};
use leanmem::weak::{NotifyingMap, Observers, WeakCache, WeakValueMap};

#[global_allocator]
static ALLOC: TrackingAllocator = TrackingAllocator::system();

/// A decoded image: 1 KiB of pixels inline.
struct Image {
    id: u64,
    pixels: [u8; 1024],
}

fn load(id: u64) -> Image {
    Image {
        id,
        pixels: [id as u8; 1024],
    }
}

fn live_bytes() -> usize {
    measure::traced_memory().map_or(0, |(current, _)| current)
}

fn mib(bytes: usize) -> String {
    format!("{:7.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    println!("Loading {n} images of 1 KiB; the program then keeps using one in ten.\n");
    let base = live_bytes();

    // --- 1. The strong cache: a HashMap of Arcs. -------------------------
    println!("1. HashMap<u64, Arc<Image>> (a plain dict as a cache)");
    let mut strong: HashMap<u64, Arc<Image>> = HashMap::new();
    let mut in_use: Vec<Arc<Image>> = Vec::new();
    for id in 0..n {
        let img = Arc::new(load(id));
        strong.insert(id, Arc::clone(&img));
        in_use.push(img);
    }
    println!(
        "   {:<26}{}",
        format!("all {n} in use:"),
        mib(live_bytes() - base)
    );
    in_use.retain(|img| img.id % 10 == 0);
    in_use.shrink_to_fit();
    let leaked = live_bytes() - base;
    println!(
        "   {:<26}{}  <- the cache keeps every image alive",
        "9 in 10 no longer used:",
        mib(leaked)
    );
    drop(strong);
    drop(in_use);

    // --- 2. WeakValueMap: the values are owned elsewhere. ----------------
    println!("\n2. WeakValueMap<u64, Arc<Image>> (WeakValueDictionary over your Arcs)");
    let base = live_bytes();
    let mut weak: WeakValueMap<u64, Arc<Image>> = WeakValueMap::new();
    let mut in_use: Vec<Arc<Image>> = Vec::new();
    for id in 0..n {
        let img = Arc::new(load(id));
        weak.insert(id, &img);
        in_use.push(img);
    }
    println!(
        "   {:<26}{}",
        format!("all {n} in use:"),
        mib(live_bytes() - base)
    );
    in_use.retain(|img| img.id % 10 == 0);
    in_use.shrink_to_fit();
    println!(
        "   {:<26}{}  <- dead values' blocks are still held by their Weak (the Weak trap); get() already misses: {}",
        "9 in 10 no longer used:",
        mib(live_bytes() - base),
        weak.get(&1).is_none()
    );
    let pass = weak.buckets() / 8;
    for _ in 0..pass {
        weak.remove(&u64::MAX); // any mutating call sweeps 8 buckets
    }
    println!(
        "   {:<26}{}  <- one sweep pass over every bucket; len() = {} (a shrink may still be under way)",
        format!("after {pass} more calls:"),
        mib(live_bytes() - base),
        weak.len()
    );
    for _ in 0..pass {
        weak.remove(&u64::MAX);
    }
    println!(
        "   {:<26}{}  <- the bound: buckets/4 calls; len() = {}",
        format!("after {} more calls:", 2 * pass),
        mib(live_bytes() - base),
        weak.len()
    );
    drop(weak);
    drop(in_use);

    // --- 3. NotifyingMap: the map creates the values and is told. --------
    println!(
        "\n3. NotifyingMap<u64, Image> (values created by the map, handles tell it when they die)"
    );
    let base = live_bytes();
    let mut textures: NotifyingMap<u64, Image> = NotifyingMap::new();
    let mut in_use = Vec::new();
    for id in 0..n {
        in_use.push(textures.get_or_insert_with(id, || load(id)));
    }
    println!(
        "   {:<26}{}",
        format!("all {n} in use:"),
        mib(live_bytes() - base)
    );
    in_use.retain(|img| img.id % 10 == 0);
    in_use.shrink_to_fit();
    println!(
        "   {:<26}{}  <- each image freed with its last handle; len() still {}",
        "9 in 10 no longer used:",
        mib(live_bytes() - base),
        textures.len()
    );
    let again = textures.get_or_insert_with(0, || unreachable!("image 0 is in use"));
    assert_eq!(again.pixels[0], 0);
    println!(
        "   {:<26}{}  (a call removes at most 256 dead entries: len() = {})",
        "after the next call:",
        mib(live_bytes() - base),
        textures.len()
    );
    let removed = textures.purge();
    println!(
        "   {:<26}{}  ({removed} more removed at once; len() = {} exactly)",
        "after purge():",
        mib(live_bytes() - base),
        textures.len()
    );
    assert_eq!(textures.len(), in_use.len());
    drop(again);
    drop(in_use);
    drop(textures);

    // --- 4. A strong core and a weak tier. -------------------------------
    println!(
        "\n4. WeakCache<u64, Image> with a strong core of 100 (recent images survive without owners)"
    );
    let base = live_bytes();
    let mut cache: WeakCache<u64, Image> = WeakCache::new(100);
    let mut in_use = Vec::new();
    // Half the lookups go to 50 hot images, half scan through the rest.
    for i in 0..n {
        let id = if i % 2 == 0 { i % 50 } else { 50 + i % (n / 2) };
        let img = cache.get_or_insert_with(id, || load(id));
        if i % 500 == 1 {
            in_use.push(img); // someone else keeps using a few cold ones
        }
    }
    cache.purge();
    let s = cache.stats();
    println!(
        "   {} lookups: {} hits, {} misses, {} evictions from the core, {} expired; {} entries live",
        s.hits + s.misses,
        s.hits,
        s.misses,
        s.evictions,
        s.expired,
        cache.len()
    );
    println!(
        "   {:<26}{}  (the core's 100 + {} held elsewhere)",
        "heap:",
        mib(live_bytes() - base),
        in_use.len()
    );
    drop(in_use);
    drop(cache);

    // --- 5. The observer cycle. ------------------------------------------
    println!("\n5. Subject ⇄ observers: a reference cycle, then the same with weak observers");
    let widgets = (n / 10).max(1);
    let base = live_bytes();
    {
        // Strong: the subject holds its observers, each observer holds the
        // subject. Dropping every handle frees nothing.
        struct Subject {
            observers: Mutex<Vec<Arc<Widget>>>,
        }
        struct Widget {
            _subject: Arc<Subject>,
            _pixels: Vec<u8>,
        }
        let subject = Arc::new(Subject {
            observers: Mutex::new(Vec::new()),
        });
        for _ in 0..widgets {
            let w = Arc::new(Widget {
                _subject: Arc::clone(&subject),
                _pixels: vec![0; 1024],
            });
            subject.observers.lock().unwrap().push(w);
        }
        drop(subject);
    }
    println!(
        "   {:<40}{} leaked (a cycle that counting never frees)",
        "strong observers, every handle dropped:",
        mib(live_bytes() - base)
    );

    let base = live_bytes();
    struct Editor {
        on_save: Mutex<Observers<String>>,
    }
    struct Preview {
        _editor: Arc<Editor>,
        pixels: Vec<u8>,
        saves: Mutex<usize>,
    }
    impl Preview {
        fn saved(&self, _file: &String) {
            *self.saves.lock().unwrap() += self.pixels.len().min(1);
        }
    }
    let editor = Arc::new(Editor {
        on_save: Mutex::new(Observers::new()),
    });
    let mut previews = Vec::new();
    for _ in 0..widgets {
        let p = Arc::new(Preview {
            _editor: Arc::clone(&editor),
            pixels: vec![0; 1024],
            saves: Mutex::new(0),
        });
        editor.on_save.lock().unwrap().subscribe(&p, Preview::saved);
        previews.push(p);
    }
    let called = editor.on_save.lock().unwrap().notify(&"a.txt".to_string());
    println!(
        "   {:<40}{}",
        format!("weak observers: {called} notified, heap"),
        mib(live_bytes() - base)
    );
    drop(previews);
    println!(
        "   {:<40}{}  (pixels freed at once; the small blocks wait for the next notify)",
        "previews dropped:",
        mib(live_bytes() - base)
    );
    let called = editor.on_save.lock().unwrap().notify(&"b.txt".to_string());
    println!(
        "   {:<40}{}  ({called} notified, {} subscriptions left)",
        "after the next notify:",
        mib(live_bytes() - base),
        editor.on_save.lock().unwrap().len()
    );
}
