// Progressive enhancement: the flagged-rows filter, Escape to dismiss tooltips, tooltips placed
// in viewport coordinates. Without JS every row shows and tooltips open on hover/focus (CSS).
(function(){
var box=document.getElementById('only-flagged');
function apply(){document.body.classList.toggle('only-flagged',box.checked);}
if(box){box.addEventListener('change',apply);apply();}
document.addEventListener('keydown',function(ev){
if(ev.key==='Escape'){document.body.classList.add('tips-off');}
});
// Place the tooltip in viewport coordinates so the table's scroll box cannot clip it.
function place(cell){var tip=cell.querySelector('.tip');if(!tip){return;}
var r=cell.getBoundingClientRect();tip.style.position='fixed';
var left=Math.max(4,Math.min(r.left,window.innerWidth-tip.offsetWidth-8));
var top=r.bottom+4;if(top+tip.offsetHeight>window.innerHeight){top=Math.max(4,r.top-tip.offsetHeight-4);}
tip.style.left=left+'px';tip.style.top=top+'px';tip.style.right='auto';}
function show(ev){var c=ev.target&&ev.target.closest?ev.target.closest('.rep'):null;
if(c){document.body.classList.remove('tips-off');place(c);}}
document.addEventListener('focusin',function(ev){document.body.classList.remove('tips-off');show(ev);});
document.addEventListener('mouseover',show);
})();
